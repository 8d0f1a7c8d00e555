/*
 * review_sql.h: the SQL text that the statements of reviewing posts
 * (review_db.c) and of the post page (page_db.c) share, so a suggestion
 * or a comment reads the same in the API and on the page.
 */
#ifndef REVIEW_SQL_H
#define REVIEW_SQL_H

#define ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/*
 * A suggestion s as the API shows it, with the text of its span in its
 * revision r and its author a: a reviewer, or "Guidelines" (source
 * "guidelines", rule its rule, link the rule's link g; advice when
 * accepting it keeps the text).
 */
#define SUGGESTION_JSON \
	"json_build_object('id', s.id, 'post', s.post_id, " \
	"'revision', s.revision, 'start', s.span_start, 'end', s.span_end, " \
	"'original', substr(r.body, s.span_start + 1, " \
	"s.span_end - s.span_start), 'replacement', s.replacement, " \
	"'comment', s.comment, 'state', s.state, " \
	"'author', json_build_object('name', coalesce(a.name, " \
	"'Guidelines')), 'source', s.source, 'rule', s.rule_id, " \
	"'link', g.link, 'advice', s.source = 'guidelines' " \
	"AND s.replacement = substr(r.body, s.span_start + 1, " \
	"s.span_end - s.span_start), " \
	"'created_at', " ISO_UTC("s.created_at") ", " \
	"'decided_at', " ISO_UTC("s.decided_at") ", 'reply', s.reply, " \
	"'accepted_revision', s.accepted_revision)"
#define SUGGESTION_JOIN \
	"JOIN post_revisions r ON r.unit_id = s.unit_id " \
	"AND r.post_id = s.post_id AND r.number = s.revision " \
	"LEFT JOIN people a ON a.id = s.author_id " \
	"LEFT JOIN guide_rule_links g ON g.id = s.rule_id "

/* A comment c as the API shows it, by its author a (NULL: a guest). */
#define COMMENT_JSON \
	"json_build_object('id', c.id, 'post', c.post_id, 'body', c.body, " \
	"'revision', c.revision, 'start', c.span_start, 'end', c.span_end, " \
	"'reply_to', c.reply_to, 'author', coalesce(a.name, c.guest_name), " \
	"'guest', c.author_id IS NULL, " \
	"'created_at', " ISO_UTC("c.created_at") ", " \
	"'resolved', c.resolved_at IS NOT NULL, " \
	"'resolved_at', " ISO_UTC("c.resolved_at") ")"

#endif
