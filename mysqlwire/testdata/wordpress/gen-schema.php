<?php
// Regenerates schema.sql: php gen-schema.php > schema.sql (with Debian's wordpress package installed).
class FakeWPDB {
  public $prefix = 'wp_'; public $base_prefix = 'wp_'; public $blogid = 1;
  public function __get($n) { return 'wp_' . $n; }
  public function get_charset_collate() { return 'DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci'; }
  public function set_blog_id($id) { return 1; }
}
$wpdb = new FakeWPDB();
foreach (['posts','postmeta','comments','commentmeta','terms','termmeta','term_taxonomy','term_relationships','options','links','users','usermeta','blogs','blogmeta','signups','site','sitemeta','registration_log'] as $t) { $wpdb->$t = 'wp_' . $t; }
function is_multisite() { return true; }
define('ABSPATH', '/usr/share/wordpress/');
require '/usr/share/wordpress/wp-admin/includes/schema.php';
echo wp_get_db_schema('all');
