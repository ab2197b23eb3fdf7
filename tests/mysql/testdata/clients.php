<?php
// Drives Warren's MySQL door with PHP's mysqli and PDO (mysqlnd), the
// drivers WordPress and most PHP applications use. Prints one JSON object
// of observations; php_test.go checks them.
// Usage: php clients.php HOST PORT USER PASSWORD DATABASE SHA2_USER SHA2_PASSWORD
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
[, $host, $port, $user, $pass, $db, $shaUser, $shaPass] = $argv;
$port = (int)$port;
$out = [];

$m = new mysqli($host, $user, $pass, $db, $port);
$m->set_charset('utf8mb4');
$out['server_info'] = $m->server_info;
$m->query("CREATE TABLE people (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE, age INT, score DOUBLE, born DATE, bio TEXT)");

// One statement bound once and executed three times: after the first
// execution mysqlnd no longer sends the parameter types.
$st = $m->prepare("INSERT INTO people (name, age, score, born) VALUES (?, ?, ?, ?)");
$st->bind_param('sids', $name, $age, $score, $born);
$ids = [];
foreach ([['ann', 31, 1.5, '1993-01-02'], ['bob', 42, 2.25, '1982-03-04'], ['cy', null, 3.0, null]] as $r) {
    [$name, $age, $score, $born] = $r;
    $st->execute();
    $ids[] = $st->insert_id;
}
$out['insert_ids_increase'] = $ids[0] > 0 && $ids[1] > $ids[0] && $ids[2] > $ids[1];
$out['insert_id_matches'] = $m->query("SELECT id FROM people WHERE name = 'cy'")->fetch_row()[0] == $ids[2];

$q = $m->prepare("SELECT name, age, score, born FROM people WHERE age > ? OR age IS NULL ORDER BY name");
$min = 35;
$q->bind_param('i', $min);
$q->execute();
$out['get_result'] = $q->get_result()->fetch_all(MYSQLI_ASSOC);

$q = $m->prepare("SELECT name, age FROM people WHERE id = ?");
$id = $ids[0];
$q->bind_param('i', $id);
$q->execute();
$q->bind_result($n, $a);
$q->fetch();
$out['bind_result'] = [$n, $a];
$q->close();

try {
    $m->query("INSERT INTO people (name) VALUES ('ann')");
    $out['duplicate'] = 'no error';
} catch (mysqli_sql_exception $e) {
    $out['duplicate'] = [$e->getCode(), $e->getSqlState()];
}

$m->begin_transaction();
$m->query("UPDATE people SET age = 99");
$m->rollback();
$out['after_rollback'] = (int)$m->query("SELECT MAX(age) FROM people")->fetch_row()[0];

$m->multi_query("SELECT 1; SELECT 'two'");
$multi = [];
do {
    if ($r = $m->store_result()) {
        $multi[] = $r->fetch_row()[0];
        $r->free();
    }
} while ($m->more_results() && $m->next_result());
$out['multi_query'] = $multi;

$m->query("SET @kept = 1");
$out['change_user'] = $m->change_user($user, $pass, $db);
$out['after_change_user'] = $m->query("SELECT DATABASE(), @kept IS NULL")->fetch_row();
$m->close();

$opts = [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_EMULATE_PREPARES => false];
$pdo = new PDO("mysql:host=$host;port=$port;dbname=$db;charset=utf8mb4", $user, $pass, $opts);
$ps = $pdo->prepare("SELECT id > 0 AS has_id, name, age, score FROM people WHERE name = :name");
$ps->execute([':name' => 'bob']);
$out['pdo_row'] = $ps->fetch(PDO::FETCH_ASSOC);
$ins = $pdo->prepare("INSERT INTO people (name, age) VALUES (?, ?)");
$ins->execute(['dee', 7]);
$out['pdo_last_insert_id'] = $pdo->lastInsertId() > 0;
try {
    $ins->execute(['dee', 8]);
    $out['pdo_duplicate'] = 'no error';
} catch (PDOException $e) {
    $out['pdo_duplicate'] = [$e->errorInfo[0], $e->errorInfo[1]];
}
$pdo->beginTransaction();
$ins->execute(['eve', 1]);
$pdo->commit();
$out['pdo_count'] = $pdo->query("SELECT COUNT(*) FROM people")->fetchColumn();

// caching_sha2_password over plain TCP: RSA key exchange, then fast auth.
foreach ([1, 2] as $i) {
    $sha = new PDO("mysql:host=$host;port=$port;dbname=$db", $shaUser, $shaPass, $opts);
    $out["sha2_login_$i"] = $sha->query("SELECT COUNT(*) FROM people")->fetchColumn();
}
echo json_encode($out), "\n";
