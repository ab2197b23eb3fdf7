<?php
/*
 * Shared by the CLI scripts: prints the script's result as one JSON line,
 * with the database error and the last queries when wpdb reports one.
 */
function warren_report(array $result) {
	global $wpdb;
	$result['db_error'] = $wpdb->last_error;
	if ($wpdb->last_error !== '') {
		$result['last_queries'] = array_map(function ($q) { return $q[0]; }, array_slice((array) $wpdb->queries, -5));
	}
	echo json_encode($result), "\n";
}
