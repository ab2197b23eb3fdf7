<?php
/*
 * Installs WordPress with wp_install() through the node named by
 * WARREN_WP_DB_HOST. Usage: php install.php <site dir>
 */
define('WP_INSTALLING', true);
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require __DIR__ . '/report.php';

$result = wp_install('Warren Blog', 'admin', 'admin@example.com', true, '', 'Adm1n-wp-pass');
warren_report([
	'user_id' => $result['user_id'],
	'password' => $result['password'],
	'url' => $result['url'],
	'installed' => is_blog_installed(),
	'blogname' => get_option('blogname'),
]);
