<?php
/*
 * wp-config.php of the Warren acceptance test. The test copies it into a
 * site directory that mirrors /usr/share/wordpress (ABSPATH) and sets the
 * WARREN_WP_* environment variables for each PHP process.
 */
function warren_wp_env($name) {
	$v = getenv($name);
	if ($v === false || $v === '') {
		fwrite(STDERR, "wp-config.php: environment variable $name is not set\n");
		exit(2);
	}
	return $v;
}

define('DB_NAME', warren_wp_env('WARREN_WP_DB_NAME'));
define('DB_USER', warren_wp_env('WARREN_WP_DB_USER'));
define('DB_PASSWORD', warren_wp_env('WARREN_WP_DB_PASSWORD'));
define('DB_HOST', warren_wp_env('WARREN_WP_DB_HOST'));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');

define('WP_HOME', warren_wp_env('WARREN_WP_HOME'));
define('WP_SITEURL', WP_HOME);

// Nothing may leave loopback: no external HTTP, no cron, no updates.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_CACHE', false);

// Every notice and every database error goes to one log the test reads.
define('WP_DEBUG', true);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', warren_wp_env('WARREN_WP_LOG'));
define('SAVEQUERIES', true);

// The test's must-use plugin records outgoing HTTP and mail.
define('WPMU_PLUGIN_DIR', __DIR__ . '/mu-plugins');

define('AUTH_KEY', 'warren-test-auth-key');
define('SECURE_AUTH_KEY', 'warren-test-secure-auth-key');
define('LOGGED_IN_KEY', 'warren-test-logged-in-key');
define('NONCE_KEY', 'warren-test-nonce-key');
define('AUTH_SALT', 'warren-test-auth-salt');
define('SECURE_AUTH_SALT', 'warren-test-secure-auth-salt');
define('LOGGED_IN_SALT', 'warren-test-logged-in-salt');
define('NONCE_SALT', 'warren-test-nonce-salt');

$table_prefix = 'wp_';

if (!defined('ABSPATH')) {
	define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
