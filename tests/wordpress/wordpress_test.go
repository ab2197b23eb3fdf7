package wordpress

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"
)

// replicateTimeout bounds how long the post takes to reach node 3.
const replicateTimeout = 20 * time.Second

// TestWordPress installs WordPress through n1, publishes a post with tags
// through n2, and finds the post on the front page and the tag page of a
// WordPress served against n3.
func TestWordPress(t *testing.T) {
	php := needPHP(t)
	nodes := startCluster(t)
	n1, n2, n3 := nodes[0], nodes[1], nodes[2]
	const db = "wordpress"
	if err := n1.call("POST", "/v1/databases", map[string]any{"name": db}, http.StatusCreated, nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, replicateTimeout, "database on every node", func() error {
		for _, n := range nodes {
			if _, err := n.count(db, "SELECT 1"); err != nil {
				return err
			}
		}
		return nil
	})
	webPort := newPorts().tcp(t)
	s := newSite(t, db, fmt.Sprintf("http://127.0.0.1:%d", webPort))
	defer func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("WordPress debug log:\n%s", tail(s.debugLog(), 60))
		}
	}()

	var installed struct {
		UserID    int    `json:"user_id"`
		Installed bool   `json:"installed"`
		Blogname  string `json:"blogname"`
		DBError   string `json:"db_error"`
	}
	s.script(t, php, n1, "install.php", &installed)
	if !installed.Installed || installed.UserID == 0 || installed.Blogname != "Warren Blog" || installed.DBError != "" {
		t.Fatalf("wp_install through n1: %+v\n%s", installed, s.problems())
	}
	checkLog(t, s, "install through n1")

	title := "Replicated by Warren " + time.Now().Format("150405")
	tags := []string{"leaderless", "sqlite-cluster"}
	var post struct {
		ID      int      `json:"id"`
		Status  string   `json:"status"`
		Tags    []string `json:"tags"`
		DBError string   `json:"db_error"`
	}
	s.script(t, php, n2, "publish.php", &post, append([]string{title}, tags...)...)
	if post.ID == 0 || post.Status != "publish" || len(post.Tags) != len(tags) || post.DBError != "" {
		t.Fatalf("publish through n2: %+v\n%s", post, s.problems())
	}
	checkLog(t, s, "publish through n2")

	eventually(t, replicateTimeout, "post and its tags on n3", func() error {
		return postReplicated(n3, db, post.ID, title, len(tags))
	})
	s.serve(t, php, n3, webPort)
	front := s.get(t, "/")
	if !strings.Contains(html.UnescapeString(front), title) {
		t.Errorf("front page served against n3 lacks %q:\n%s", title, tail(front, 40))
	}
	tagPage := s.get(t, "/?tag="+tags[1])
	if !strings.Contains(html.UnescapeString(tagPage), title) {
		t.Errorf("tag page of %q served against n3 lacks %q:\n%s", tags[1], title, tail(tagPage, 40))
	}
	checkLog(t, s, "pages served against n3")
}

// postReplicated fails unless n holds the published post with its tags.
func postReplicated(n *node, db string, id int, title string, tags int) error {
	got, err := n.count(db, "SELECT count(*) FROM wp_posts WHERE ID = ? AND post_title = ? AND post_status = 'publish'", id, title)
	if err != nil {
		return err
	}
	if got != 1 {
		return fmt.Errorf("%s has %d rows of post %d", n.name, got, id)
	}
	got, err = n.count(db, `SELECT count(*) FROM wp_term_relationships r JOIN wp_term_taxonomy x
		ON x.term_taxonomy_id = r.term_taxonomy_id WHERE r.object_id = ? AND x.taxonomy = 'post_tag' AND x.count > 0`, id)
	if err != nil {
		return err
	}
	if got != int64(tags) {
		return fmt.Errorf("%s has %d of %d tags of post %d", n.name, got, tags, id)
	}
	return nil
}

// checkLog fails the test on database errors, wpdb or mysqli warnings and
// HTTP outside loopback in WordPress's debug log.
func checkLog(t *testing.T, s *site, step string) {
	t.Helper()
	if bad := s.problems(); bad != "" {
		t.Errorf("%s: WordPress logged problems:\n%s", step, bad)
	}
}
