"""test_public.py: the public face over real nginx, the FastCGI server and
PostgreSQL: a unit's page, a post's page, the tag pages, the front page,
the Atom feeds, the sitemap and robots.txt.  Only the published version of
posts of approved units ever shows: drafts, scheduled posts, an edit not
yet published, suspended, archived and requested units never do, whatever
the address; a withdrawn post is 410; never existed and not public are the
same 404.  Hostile titles, bodies and tags are escaped in pages and feeds
(which python's XML parser reads, with the elements RFC 4287 requires);
lists page by keyset; a signed-in member's cookie changes no byte; a
post's JSON carries its public url once published.
"""

import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (  # noqa: E402
    TAP, Client, new_stack, person, q as q_on, wait_until, send as post)

t = TAP()
s = new_stack()
BASE = f"http://127.0.0.1:{s.port}"
A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def q(sql):
    return q_on(s, sql)


def publish(c, pid, at=None):
    return post(c, f"/api/v1/posts/{pid}/publish", {} if at is None else {"at": at})


def new_post(c, unit, title, body="Some text.", tags=()):
    r = post(c, f"/api/v1/units/{unit}/posts", {"title": title, "body": body,
                                                 "tags": list(tags)})
    assert r.status == 201, r.text
    return r.json()["id"]


def seen(path, cond):
    """The anonymous answer at path once cond(answer) holds: nginx keeps
    a public page one second, so a change shows within 1.5."""
    return wait_until(lambda: (lambda r: r if cond(r) else None)(anon.get(path)),
                      timeout=1.5) or anon.get(path)


def path_of(url):
    return url[len(BASE):] if url and url.startswith(BASE) else url


anon = Client(s.port)
ann = person(s, "ann@example.org")
bob = person(s, "bob@example.org")
ida = person(s, "ida@example.org", "admin")
rea = person(s, "rea@example.org")      # signed in, member of nothing

UNIT = {"kind": "chapter", "purpose": "News of <the> town & more.", "audience": "All"}
for c, slug, name in ((ann, "north", "North"), (bob, "south", "South"),
                      (ann, "susp", "Suspended"), (ann, "arch", "Archived"),
                      (ann, "many", "Many"), (ann, "req", "Requested")):
    post(c, "/api/v1/units", dict(UNIT, name=name, slug=slug, region="Coast"))
    if slug != "req":
        post(ida, f"/api/v1/units/{slug}/decision", {"decision": "approve"})

# -- publishing: the JSON carries the public url ------------------------------
P1 = new_post(ann, "north", "Spring fair", "The fair opens on **Saturday**.",
              ["events", "Spring Fair"])
r = ann.get(f"/api/v1/posts/{P1}")
t.ok(r.status == 200 and r.json().get("url", "missing") is None,
     "a draft's JSON has url null", r.text)
r = publish(ann, P1)
t.eq((r.status, r.json().get("url")), (200, BASE + "/u/north/spring-fair"),
     "the publish answer carries the post's public url")
t.eq(ann.get(f"/api/v1/posts/{P1}").json().get("url"), BASE + "/u/north/spring-fair",
     "and so does GET /api/v1/posts/{id}")
P2 = new_post(ann, "north", "Secret draft", "Not for anyone.", ["events"])
P3 = new_post(ann, "north", "Scheduled news", "Later.", ["events"])
r = publish(ann, P3, "2099-01-01T09:00:00Z")
t.ok(r.status == 200 and r.json()["state"] == "scheduled" and r.json()["url"] is None,
     "a scheduled post has no url yet", r.text)
HOSTILE_T = '<script>alert(1)</script> ]]> & "q" \'s'
HOSTILE_B = ("Hello <script>alert(2)</script> ]]> \x01\x0b\x1f end **bold** "
             "[x](javascript:alert(3)) <img src=x onerror=alert(4)>")
P4 = new_post(ann, "north", HOSTILE_T, HOSTILE_B, ["<b>tag</b>", "]]>", "events"])
r = publish(ann, P4)
P4_PATH = path_of(r.json()["url"])
t.eq(P4_PATH, "/u/north/script-alert-1-script-q-s", "a hostile title makes a plain slug")
P5 = new_post(bob, "south", "South fair", "Ours.", ["events"])
publish(bob, P5)
P6 = new_post(ann, "susp", "Suspended news", "Gone soon.", ["events"])
P6_PATH = path_of(publish(ann, P6).json()["url"])
P7 = new_post(ann, "arch", "Archived news", "Old.", ["events"])
P7_PATH = path_of(publish(ann, P7).json()["url"])
P8 = new_post(ann, "north", "Withdrawn news", "Taken back.", ["events"])
P8_PATH = path_of(publish(ann, P8).json()["url"])
r = post(ann, f"/api/v1/posts/{P8}/withdraw", {})
t.ok(r.status == 200 and ann.get(f"/api/v1/posts/{P8}").json()["url"] is None,
     "a withdrawn post's JSON has url null")
P9 = new_post(ann, "north", "Spring fair", "A second fair.")
t.eq(path_of(publish(ann, P9).json()["url"]), "/u/north/spring-fair-2",
     "a second post of the same title gets -2")
q("UPDATE units SET state = 'suspended' WHERE slug = 'susp'")
q("UPDATE units SET state = 'archived' WHERE slug = 'arch'")
t.ok(P6_PATH == "/u/susp/suspended-news" and P7_PATH == "/u/arch/archived-news",
     "fixtures: the suspended and archived units' posts had addresses")

# -- the unit's page ----------------------------------------------------------
r = anon.get("/u/north")
page = r.text
t.ok(r.status == 200 and r.headers.get("content-type") == "text/html; charset=utf-8",
     "GET /u/north is an HTML page", r.status)
t.ok("<h1>North</h1>" in page and "News of &lt;the&gt; town &amp; more." in page,
     "with the unit's name and purpose, escaped", page[:2000])
t.ok('href="/u/north/spring-fair"' in page and f'href="{P4_PATH}"' in page
     and 'href="/u/north/spring-fair-2"' in page,
     "its published posts", page)
t.ok("Secret draft" not in page and "Scheduled news" not in page
     and "Withdrawn news" not in page and "South fair" not in page,
     "no draft, scheduled, withdrawn or other unit's post")
t.ok(f'<link rel="canonical" href="{BASE}/u/north">' in page
     and '<link rel="alternate" type="application/atom+xml" title="North" '
     'href="/u/north/feed.atom">' in page, "its canonical address and feed link")
t.ok('href="/u/north/t/events"' in page and 'href="/u/north/t/%3Cb%3Etag%3C%2Fb%3E"' in page,
     "its tags link to the unit's tag pages, encoded")
t.ok("<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; "
     "&quot;q&quot; &#39;s" in page and "&lt;b&gt;tag&lt;/b&gt;" in page,
     "a hostile title and tag are escaped")
t.ok(anon.get("/u/north").body == r.body, "the page is the same twice")
for who, c in (("a signed-in owner", ann), ("a member of another unit", bob),
               ("a signed-in stranger", rea), ("a hub admin", ida)):
    r2 = c.get("/u/north")
    t.ok(r2.body == r.body and "set-cookie" not in r2.headers
         and "Log out" not in r2.text,
         f"{who}'s cookie changes no byte and sets none")
r2 = Client(s.port)
r2.cookies = {"ch_session": "bogus", "other": "x"}
t.ok(r2.get("/u/north").body == r.body, "nor does a bogus cookie")
r2 = anon.get("/u/north", {"Accept": "application/json"})
t.ok(r2.status == 200 and r2.body == r.body and "vary" not in r.headers,
     "Accept: application/json changes nothing (no Vary: Accept)")
r2 = anon.send("HEAD", "/u/north")
t.ok(r2.status == 200 and r2.body == b"", "HEAD answers without a body")

NOT_UNIT = anon.get("/u/nowhere")
t.eq(NOT_UNIT.status, 404, "an address that never existed is 404")
for slug, why in (("susp", "a suspended unit"), ("arch", "an archived unit"),
                  ("req", "a requested unit"), ("NORTH", "a slug in capitals"),
                  ("a" * 60, "an overlong slug")):
    r = anon.get(f"/u/{slug}")
    t.ok(r.status == 404 and r.body.replace(slug.encode(), b"") ==
         NOT_UNIT.body.replace(b"nowhere", b""), f"{why} is the same 404", r.status)
    t.eq(ann.get(f"/u/{slug}").status, 404, f"{why} is 404 for its owner too")

# -- the post's page ----------------------------------------------------------
r = anon.get("/u/north/spring-fair")
page = r.text
t.ok(r.status == 200 and "<h1 id=\"post-title\">Spring fair</h1>" in page
     and "<strong>Saturday</strong>" in page and "By Ann" in page
     and '<a href="/u/north">North</a>' in page, "a post's page: title, body, author, unit",
     page[:3000])
t.ok(f'<link rel="canonical" href="{BASE}/u/north/spring-fair">' in page
     and '<meta property="og:title" content="Spring fair">' in page
     and '<meta property="og:type" content="article">' in page
     and f'<meta property="og:url" content="{BASE}/u/north/spring-fair">' in page
     and '<meta name="twitter:card" content="summary">' in page
     and '<meta property="og:description" content="The fair opens on Saturday.">' in page,
     "canonical, Open Graph and Twitter card meta")
t.ok('href="/t/events"' in page and 'href="/t/spring%20fair"' in page
     and re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', page),
     "its tags (lower case) and date")
r = anon.get(P4_PATH)
page = r.text
prose = page.split('<div class="prose">', 1)[-1].split("</div>", 1)[0]
t.ok(r.status == 200 and "<script" not in page and "<img" not in page
     and "\x01" not in page and "&lt;script&gt;alert(1)" in page
     and "onerror" not in prose and "javascript:" not in prose
     and "<strong>bold</strong>" in prose,
     "a hostile post's page is escaped, its body safe", prose)
t.ok('<meta property="og:description" content="Hello &lt;script&gt;alert(2)&lt;/script&gt; '
     ']]&gt; end bold x &lt;img' in page, "its description is plain text, escaped")

# An edit after publishing shows only once published.
r = ann.get(f"/api/v1/posts/{P1}")
r = ann.post_json(f"/api/v1/posts/{P1}", {"title": "Spring fair moved", "body": "Sunday now.",
                                           "tags": ["events"]},
                  {"X-CSRF-Token": ann.token, "If-Match": r.headers["etag"]}, method="PUT")
t.eq(r.status, 200, "fixtures: the author edits the published post")
page = anon.get("/u/north/spring-fair").text
t.ok("Spring fair moved" not in page and "Saturday" in page,
     "the edit is not public before it is published")
publish(ann, P1)
page = seen("/u/north/spring-fair", lambda r: "Sunday now." in r.text).text
t.ok("Spring fair moved" in page and "Sunday now." in page,
     "published, it shows at the same address")
t.ok('href="/t/spring%20fair"' not in page, "with the new revision's tags")

NOT_POST = anon.get("/u/north/nothing-here")
t.eq(NOT_POST.status, 404, "a post slug that never existed is 404")
for path, why in (("/u/north/secret-draft", "a draft's would-be slug"),
                  ("/u/north/scheduled-news", "a scheduled post's would-be slug"),
                  (P6_PATH, "a suspended unit's post"), (P7_PATH, "an archived unit's post"),
                  ("/u/south/spring-fair", "another unit's slug"),
                  (f"/u/north/{P2}", "a draft's id"), ("/u/north/Spring-Fair", "capitals")):
    r = anon.get(path)
    t.ok(r.status == 404 and r.body == NOT_POST.body, f"{why} is the same 404", r.status)
r = anon.get(P8_PATH)
t.ok(r.status == 410 and "withdrawn" in r.text and "Taken back" not in r.text,
     "a withdrawn post is 410 Gone, without its text", r.status)
t.eq(ann.get(P8_PATH).status, 410, "for its author too")
q(f"UPDATE units SET state = 'suspended' WHERE slug = 'south'")
t.eq(seen("/u/south/south-fair", lambda r: r.status == 404).status, 404,
     "suspending a unit hides its post within a second")
q(f"UPDATE units SET state = 'approved' WHERE slug = 'south'")
t.eq(seen("/u/south/south-fair", lambda r: r.status == 200).status, 200,
     "approving it again shows it")

# -- tag pages ----------------------------------------------------------------
page = anon.get("/t/events").text
t.ok('href="/u/north/spring-fair"' in page and 'href="/u/south/south-fair"' in page
     and "Suspended news" not in page and "Archived news" not in page
     and "Secret draft" not in page and "Withdrawn news" not in page,
     "/t/events: the tag across approved units, nothing else", page[-3000:])
t.ok('<link rel="alternate" type="application/atom+xml" title="events" '
     'href="/t/events/feed.atom">' in page, "with its feed link")
page = anon.get("/t/EVENTS").text
t.ok('href="/u/south/south-fair"' in page, "a tag is found whatever its case")
page = anon.get("/u/north/t/events").text
t.ok('href="/u/north/spring-fair"' in page and "South fair" not in page,
     "/u/north/t/events: the unit's posts with the tag only")
r = anon.get("/t/%3Cb%3Etag%3C%2Fb%3E")
t.ok(r.status == 200 and "<b>tag</b>" not in r.text and "&lt;b&gt;tag&lt;/b&gt;" in r.text,
     "a hostile tag's page is escaped", r.status)
t.eq(anon.get("/t/nothing").status, 404, "a tag no public post has is 404")
t.eq(anon.get("/u/susp/t/events").status, 404, "a suspended unit's tag page is 404")
t.eq(anon.get("/t/a%01b").status, 404, "a tag with a control character is 404")

# -- the front page -----------------------------------------------------------
page = anon.get("/").text
t.ok("Equip your units" in page and 'href="/u/north/spring-fair"' in page
     and 'href="/u/south/south-fair"' in page and "Suspended news" not in page
     and "Withdrawn news" not in page, "the front page: the latest public posts")
t.ok('<a href="/u/north">North</a>' in page and '<a href="/u/south">South</a>' in page
     and 'href="/u/susp"' not in page and 'href="/u/arch"' not in page
     and 'href="/u/req"' not in page and "<h3 class=\"kind\">chapter</h3>" in page
     and "<h4 class=\"region\">Coast</h4>" in page,
     "and the directory of approved units by kind and region")
t.ok("Hello, Ann" in ann.get("/").text, "a signed-in person still gets their home")

# The directory shows the first 12 units of a kind and region by name and
# says there are more: the page costs the same however many units.
q("INSERT INTO units (slug, name, kind, purpose, audience, state, region, "
  "requested_by) SELECT 'dir-' || n, 'Dir ' || chr(96 + n), 'agency_team', "
  "'p', 'a', CASE WHEN n = 14 THEN 'suspended' ELSE 'approved' END, 'Dune', "
  "p.id FROM people p, generate_series(1, 14) n "
  "WHERE p.email = 'ann@example.org'")
page = seen("/", lambda r: 'href="/u/dir-1"' in r.text).text
dune = page[page.find('<h4 class="region">Dune</h4>'):]
dune = dune[:dune.find("</ul>")]
t.ok(all(f'<a href="/u/dir-{n}">Dir {chr(96 + n)}</a>' in dune for n in range(1, 13))
     and 'href="/u/dir-13"' not in page and '<li class="muted">and more</li>' in dune
     and "<h3 class=\"kind\">agency team</h3>" in page,
     "the directory: a kind and region's first 12 units by name, then "
     "'and more' for the 13th", dune)
q("UPDATE units SET state = 'suspended' WHERE slug = 'dir-13'")
page = seen("/", lambda r: "and more" not in r.text).text
t.ok('href="/u/dir-12"' in page and "and more" not in page and 'href="/u/dir-14"' not in page,
     "12 approved units: no 'and more' (a suspended unit is not one of them)")

# -- paging by keyset ---------------------------------------------------------
# 25 posts published in one transaction: the same published_at, ordered
# by id.
q("DO $$ DECLARE u bigint := (SELECT id FROM units WHERE slug = 'many'); "
  "a bigint := (SELECT id FROM people WHERE email = 'ann@example.org'); "
  "p bigint; BEGIN FOR i IN 1..25 LOOP "
  "INSERT INTO posts (unit_id, author_id) VALUES (u, a) RETURNING id INTO p; "
  "INSERT INTO post_revisions (unit_id, post_id, author_id, title, body, tags) "
  "VALUES (u, p, a, 'Item ' || i, 'Body ' || i, ARRAY['bulk']); "
  "UPDATE posts SET state = 'published' WHERE id = p; END LOOP; END $$")


def items(html):
    return [int(x) for x in re.findall(r'href="/u/many/item-(\d+)"', html)]


def next_link(html):
    m = re.search(r'<a href="([^"]+)" rel="next">', html)
    return m.group(1).replace("&amp;", "&") if m else None


for base, what in (("/u/many", "a unit's page"), ("/t/bulk", "a tag's page"),
                   ("/u/many/t/bulk", "a unit's tag page")):
    p1 = anon.get(base).text
    nxt = next_link(p1)
    t.ok(items(p1) == list(range(25, 5, -1)) and nxt is not None
         and nxt.startswith(base + "?before="), f"{what}: the latest 20, a next link", nxt)
    p2 = anon.get(nxt).text
    t.ok(items(p2) == list(range(5, 0, -1)) and next_link(p2) is None,
         f"{what}: the next page has the other 5 and no further link", items(p2))
for bad in ("x", "1-", "-1", "1-2-3", "1" * 19 + "-1", "1 -2", "9" * 18 + "-1",
            "253402300800000000-1"):
    r = anon.get("/u/many?before=" + urllib.parse.quote(bad))
    t.ok(r.status == 400 and "before" in r.text, f"a bad cursor {bad!r} is 400 naming before",
         r.status)
t.ok(items(anon.get("/u/many?before=1-1").text) == [], "a cursor before everything: no post")
t.eq(items(anon.get("/u/many?before=253402300799999999-0").text), list(range(25, 5, -1)),
     "the latest cursor shows the first page")

# -- Atom feeds ---------------------------------------------------------------


def feed(path):
    r = anon.get(path)
    t.eq((r.status, r.headers.get("content-type")),
         (200, "application/atom+xml; charset=utf-8"), f"{path}: an Atom feed")
    try:
        return ET.fromstring(r.body), r
    except ET.ParseError as e:
        t.ok(False, f"{path}: parses as XML", str(e))
        return ET.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"/>'), r


def check_rfc(root, path):
    """The elements RFC 4287 requires (4.1.1, 4.1.2)."""
    ok = (root.tag == A + "feed" and root.find(A + "id") is not None
          and root.find(A + "title") is not None
          and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.findtext(A + "updated") or "")
          and root.find(f"{A}link[@rel='self']") is not None
          and root.find(f"{A}author/{A}name") is not None)
    for e in root.findall(A + "entry"):
        ok = ok and (e.findtext(A + "id") or "").startswith("tag:127.0.0.1,") \
            and e.find(A + "title") is not None and e.find(A + "updated") is not None \
            and e.find(f"{A}author/{A}name") is not None \
            and e.find(f"{A}link[@rel='alternate']") is not None \
            and e.find(A + "content").get("type") == "html"
    t.ok(ok, f"{path}: the feed and each entry have RFC 4287's required elements")


root, r = feed("/u/north/feed.atom")
check_rfc(root, "/u/north/feed.atom")
entries = {e.findtext(A + "title"): e for e in root.findall(A + "entry")}
t.ok(set(entries) == {HOSTILE_T, "Spring fair moved", "Spring fair"},
     "the unit's feed: its published posts, hostile title read back exactly", list(entries))
e = entries[HOSTILE_T]
content = e.findtext(A + "content")
t.ok("<script" not in content and "onerror" not in content and "javascript:" not in content
     and "\x01" not in content and "]]&gt;" in content and "<strong>bold</strong>" in content,
     "its content is the page's safe HTML, escaped as text", content)
t.ok(b"<script" not in r.body and b"\x01" not in r.body, "no raw script or control byte")
t.eq(e.find(f"{A}link[@rel='alternate']").get("href"), BASE + P4_PATH,
     "an entry links to the post's page")
t.ok({c.get("term") for c in e.findall(A + "category")} == {"<b>tag</b>", "]]>", "events"},
     "its tags are categories")
sf = entries["Spring fair moved"]
ID1 = sf.findtext(A + "id")
t.ok(re.fullmatch(r"tag:127\.0\.0\.1,\d{4}-\d\d-\d\d:post-%d" % P1, ID1),
     "an entry's id is a tag: URI", ID1)
t.eq(root.findtext(A + "id"), BASE + "/u/north/feed.atom", "the feed's id is its address")
root, _ = feed("/feed.atom")
check_rfc(root, "/feed.atom")
titles = [e.findtext(A + "title") for e in root.findall(A + "entry")]
t.ok(len(titles) == 20 and "Suspended news" not in titles
     and "Archived news" not in titles and "Secret draft" not in titles
     and "Withdrawn news" not in titles, "/feed.atom: the latest 20, nothing private")
root, _ = feed("/t/events/feed.atom")
check_rfc(root, "/t/events/feed.atom")
titles = {e.findtext(A + "title") for e in root.findall(A + "entry")}
t.ok(titles == {HOSTILE_T, "Spring fair moved", "South fair"},
     "/t/events/feed.atom: the tag's public posts", titles)
t.eq(anon.get("/u/susp/feed.atom").status, 404, "a suspended unit has no feed")
t.eq(anon.get("/t/nothing/feed.atom").status, 404, "nor a tag nobody uses")

# The id stays across an edit and a publication.
r = ann.get(f"/api/v1/posts/{P1}")
ann.post_json(f"/api/v1/posts/{P1}", {"title": "Spring fair final", "body": "x"},
              {"X-CSRF-Token": ann.token, "If-Match": r.headers["etag"]}, method="PUT")
publish(ann, P1)
seen("/u/north/feed.atom", lambda r: b"Spring fair final" in r.body)
root, _ = feed("/u/north/feed.atom")
ids = {e.findtext(A + "title"): e.findtext(A + "id") for e in root.findall(A + "entry")}
t.eq(ids.get("Spring fair final"), ID1, "an entry's id is stable across edits")

# -- robots.txt and the sitemap -----------------------------------------------
r = anon.get("/robots.txt")
t.ok(r.status == 200 and r.headers.get("content-type") == "text/plain; charset=utf-8"
     and f"Sitemap: {BASE}/sitemap.xml" in r.text and "User-agent: *" in r.text,
     "robots.txt names the sitemap", r.text)
r = anon.get("/sitemap.xml")
t.eq((r.status, r.headers.get("content-type")), (200, "application/xml; charset=utf-8"),
     "the sitemap is XML")
locs = [u.findtext(SM + "loc") for u in ET.fromstring(r.body).findall(SM + "url")]
t.ok(BASE + "/" in locs and BASE + "/u/north" in locs and BASE + "/u/north/spring-fair" in locs
     and BASE + P4_PATH in locs and BASE + "/u/susp" not in locs
     and BASE + P6_PATH not in locs and BASE + P8_PATH not in locs
     and not any("secret" in x or "scheduled" in x for x in locs),
     "it lists the public pages and nothing else", locs)
n = len(locs)
# Past 50,000 addresses: an index of pages.
q("DO $$ DECLARE u bigint := (SELECT id FROM units WHERE slug = 'many'); "
  "a bigint := (SELECT id FROM people WHERE email = 'ann@example.org'); BEGIN "
  f"INSERT INTO posts (unit_id, author_id) SELECT u, a FROM generate_series(1, {50001 - n}); "
  "INSERT INTO public_posts (unit_id, post_id, slug, state, revision, title, listed) "
  "SELECT u, p.id, 'bulk-' || p.id, 'published', 1, 'Bulk', true FROM posts p "
  "WHERE p.unit_id = u AND p.state = 'draft'; END $$")
r = seen("/sitemap.xml", lambda r: b"sitemapindex" in r.body)
root = ET.fromstring(r.body)
t.ok(root.tag == SM + "sitemapindex" and [x.findtext(SM + "loc") for x in
     root.findall(SM + "sitemap")] == [BASE + "/sitemap.xml?page=1", BASE + "/sitemap.xml?page=2"],
     "past 50,000 addresses the sitemap is an index of 2 pages", r.text[:500])
p1 = [u.findtext(SM + "loc") for u in
      ET.fromstring(anon.get("/sitemap.xml?page=1").body).findall(SM + "url")]
p2 = [u.findtext(SM + "loc") for u in
      ET.fromstring(anon.get("/sitemap.xml?page=2").body).findall(SM + "url")]
c1, c2 = len(p1), len(p2)
t.ok((c1, c2) == (50000, 1), "page 1 has 50,000 addresses, page 2 the last one", (c1, c2))
t.ok(len(set(p1) | set(p2)) == 50001 and not set(p1) & set(p2) and p1[0] == BASE + "/"
     and set(locs) <= set(p1),
     "the pages do not overlap and hold every address, the front page first")
LAST = q("SELECT '/u/' || u.slug || '/' || p.slug FROM public_posts p JOIN units u "
         "ON u.id = p.unit_id AND u.state = 'approved' WHERE p.state = 'published' "
         "AND p.listed ORDER BY p.unit_id DESC, p.post_id DESC LIMIT 1")
t.eq(p2, [BASE + LAST], "page 2 begins after page 1's last key: the last post by key")
ALL = q("SELECT string_agg(x.path, ' ' ORDER BY x.k, x.a, x.b) FROM ("
        "SELECT 0 AS k, 0::bigint AS a, 0::bigint AS b, '/' AS path UNION ALL "
        "SELECT 1, id, 0, '/u/' || slug FROM units WHERE state = 'approved' UNION ALL "
        "SELECT 2, p.unit_id, p.post_id, '/u/' || u.slug || '/' || p.slug FROM public_posts p "
        "JOIN units u ON u.id = p.unit_id AND u.state = 'approved' "
        "WHERE p.state = 'published' AND p.listed) x").split(" ")
t.ok([path_of(x) for x in p1 + p2] == ALL,
     "the pages list every address in the order of their keys: the front page, "
     "the units by id, the posts by unit and id")
q("UPDATE units SET state = 'suspended' WHERE slug = 'many'")
r = seen("/sitemap.xml", lambda r: b"sitemapindex" not in r.body)
locs = [path_of(u.findtext(SM + "loc")) for u in ET.fromstring(r.body).findall(SM + "url")]
t.ok(b"urlset" in r.body and "/" in locs and "/u/north" in locs
     and not any(x == "/u/many" or x.startswith("/u/many/") for x in locs),
     "a unit suspended leaves the sitemap with its posts: one page again", len(locs))
t.eq(seen("/sitemap.xml?page=2", lambda r: r.status == 404).status, 404,
     "and its page 2 is gone")
q("UPDATE units SET state = 'approved' WHERE slug = 'many'")
r = seen("/sitemap.xml", lambda r: b"sitemapindex" in r.body)
# nginx may still hold page 2's 404 of a moment ago, for a second at most.
r2 = seen("/sitemap.xml?page=2", lambda r: r.status == 200)
t.ok(b"sitemapindex" in r.body and r2.status == 200 and [path_of(u.findtext(SM + "loc"))
     for u in ET.fromstring(r2.body).findall(SM + "url")] == [LAST],
     "approved again, its posts come back, page 2 as before", r2.status)
t.eq(anon.get("/sitemap.xml?page=3").status, 404, "there is no page 3")
t.eq(anon.get("/sitemap.xml?page=0").status, 400, "page 0 is 400")

# -- what the public pages must not do ----------------------------------------
r = anon.post("/u/north", {"x": "1"})
t.eq(r.status, 405, "a public page takes no POST")
t.eq(rea.get(f"/api/v1/posts/{P2}").status, 404,
     "a stranger still finds no draft through the API")
rem = person(s, "rem@example.org")
q("INSERT INTO unit_members (unit_id, person_id, role) SELECT u.id, p.id, 'author' "
  "FROM units u, people p WHERE u.slug = 'north' AND p.email = 'rem@example.org'")
t.eq(rem.get(f"/api/v1/posts/{P2}").status, 200, "fixtures: a member reads the draft")
q("DELETE FROM unit_members WHERE person_id = (SELECT id FROM people "
  "WHERE email = 'rem@example.org')")
t.ok(rem.get(f"/api/v1/posts/{P2}").status == 404
     and rem.get("/u/north/secret-draft").status == 404,
     "removed, they find it neither through the API nor at a public address")
t.eq(bob.get(f"/api/v1/posts/{P1}").status, 404,
     "another unit's owner reads no post's JSON, url included")
t.eq(anon.get(f"/api/v1/posts/{P1}").status, 401, "nor does anyone anonymous")
