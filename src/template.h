/* template.h — templated statements rendered with stand-ins, so that they can be linted at their
 * real positions: Go and Jinja template actions, ${…} placeholders (Flyway, Liquibase, Go's
 * text/template users), psql variables and :NAME placeholders (Graphile Migrate). */
#ifndef DG_TEMPLATE_H
#define DG_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

struct dg_rendered {
	size_t count;	  /* markers rendered */
	size_t at, len;	  /* the first marker, offsets into the buffer */
	const char *kind; /* static: what it is ("a template action", …) */
	char first[64];	  /* the first marker's text, shortened */
	char stand_in[64];
};

/* Overwrites every template marker in buf[from, to) with a stand-in of the same byte length: an
 * action or placeholder that yields text becomes an identifier (a quoted one, or a string, when
 * psql's :"x" / :'x' quote it), a control action ({{ if }}, {% for %}, comments) blanks. Markers
 * inside string constants, dollar-quoted bodies and comments stay (they parse as they are).
 * Returns the number rendered, describing them in *r. */
size_t dg_template_render(char *buf, size_t from, size_t to, struct dg_rendered *r);

#endif
