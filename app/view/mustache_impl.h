/*
 * mustache_impl.h: the compiled form of a template, shared by the
 * compiler (mustache_parse.c) and the renderer (mustache_render.c) only.
 *
 * A template is a tree of nodes.  Whitespace rules of the specification
 * (standalone lines, block dedentation) are applied by the compiler, so
 * the renderer only has to emit the indentation of the partial, parent or
 * block being expanded where a node says it starts a line.
 */
#ifndef MUSTACHE_IMPL_H
#define MUSTACHE_IMPL_H

#include <stddef.h>

enum mnode_type {
	MN_TEXT,	/* literal text, at most one line */
	MN_VAR,		/* {{name}}: escaped */
	MN_RAW,		/* {{{name}}}, {{&name}}: not escaped */
	MN_SECTION,	/* {{#name}}...{{/name}} */
	MN_INVERTED,	/* {{^name}}...{{/name}} */
	MN_PARTIAL,	/* {{>name}} */
	MN_PARENT,	/* {{<name}}...{{/name}}: its block kids are
			   arguments */
	MN_BLOCK,	/* {{$name}}...{{/name}}: kids are the default */
	MN_NOP		/* comment or delimiter change that starts a line */
};

#define MN_BOL		0x01	/* starts a line: indentation goes first */
#define MN_END_BOL	0x02	/* closing tag starts a line, inside the body */
#define MN_STANDALONE	0x04	/* the tag's line was removed from the output */

struct mnode {
	enum mnode_type	 type;
	unsigned	 flags;
	unsigned	 line, col;	/* of the tag, for runtime errors */
	char		*text;		/* MN_TEXT: the text */
	size_t		 textlen;
	char		*name;		/* the tag name */
	char		*parts;		/* dotted name split on NULs */
	size_t		 nparts;	/* 0 for the implicit iterator "." */
	char		*indent;	/* whitespace before a standalone tag */
	size_t		 indentlen;
	char		*bindent;	/* block: indentation of its content */
	size_t		 bindentlen;
	struct mnode	*kids;		/* section, parent or block body */
	size_t		 nkids;
};

struct mustache {
	char		*name;
	struct mnode	*kids;
	size_t		 nkids;
};

#endif
