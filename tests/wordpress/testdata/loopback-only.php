<?php
/*
 * Must-use plugin of the Warren acceptance test: every HTTP request
 * WordPress attempts is logged; one outside loopback is refused and logged
 * as "EXTERNAL HTTP", which fails the test. Mail is never sent.
 */
add_filter('pre_http_request', function ($pre, $args, $url) {
	$host = strtolower((string) parse_url($url, PHP_URL_HOST));
	if (in_array($host, ['127.0.0.1', 'localhost', '::1', '[::1]'], true)) {
		error_log("warren-test: loopback HTTP $url");
		return $pre;
	}
	error_log("warren-test: EXTERNAL HTTP refused: $url");
	return new WP_Error('warren_test_external', "external HTTP refused: $url");
}, 1, 3);

add_filter('pre_wp_mail', function ($pre, $atts) {
	error_log('warren-test: mail not sent: ' . $atts['subject']);
	return true;
}, 1, 2);
