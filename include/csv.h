/*
 * csv.h: tables exported as CSV (RFC 4180): a header line, every cell
 * quoted with its quotes doubled, lines ended by CRLF, UTF-8.  A cell a
 * spreadsheet would read as a formula (one that starts with =, +, -, @,
 * a tab or a carriage return) is prefixed with a single quote, so it
 * is shown as text and never run.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

#include <jansson.h>

struct buf;
struct req;

/* Append s to b as one quoted, defused cell. */
void	csv_cell(struct buf *, const char *s);

/*
 * Answer r with rows (an array of objects) as CSV, the columns cols[0 ..
 * ncols - 1] in that order, as an attachment named filename: a string
 * is written as it is, a number in decimal, true and false as such, a
 * missing member or null as an empty cell.  Returns 200.
 */
int	csv_answer(struct req *, const char *filename,
	    const char *const *cols, size_t ncols, json_t *rows);

#endif
