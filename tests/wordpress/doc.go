// Package wordpress is the acceptance test of Warren's MySQL door: Debian's
// WordPress (packages wordpress, php-cli, php-mysql), unmodified and headless,
// against a 3-node cluster of real warren processes. WordPress is installed
// through node 1, a post with tags is published through node 2, and the
// front page and the tag page of a WordPress served by `php -S` against
// node 3 must show the post.
package wordpress
