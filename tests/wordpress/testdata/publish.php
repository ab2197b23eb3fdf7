<?php
/*
 * Publishes a post with tags through the node named by WARREN_WP_DB_HOST.
 * Usage: php publish.php <site dir> <title> <tag>...
 */
require $argv[1] . '/wp-load.php';
require __DIR__ . '/report.php';

$id = wp_insert_post([
	'post_title' => $argv[2],
	'post_content' => 'Written through node 2, read through node 3.',
	'post_status' => 'publish',
	'post_author' => 1,
	'tags_input' => array_slice($argv, 3),
], true);
if (is_wp_error($id)) {
	warren_report(['error' => $id->get_error_message()]);
	exit(1);
}
warren_report([
	'id' => $id,
	'status' => get_post_status($id),
	'tags' => wp_get_post_tags($id, ['fields' => 'slugs']),
]);
