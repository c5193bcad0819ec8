/* yaml.h — a YAML or JSON document (libyaml's event parser) as a small tree in the file's arena,
 * every node with its byte span, and the file's '#' comments, for the template readers. */
#ifndef DG_DDB_YAML_H
#define DG_DDB_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "source.h"

/* Deeper nesting than this is refused: templates are shallow, and a recursive reader must not
 * follow an adversarial input down the stack. */
#define DG_YAML_MAX_DEPTH 64

enum dg_ynode_kind { DG_Y_SCALAR, DG_Y_MAP, DG_Y_SEQ };

struct dg_ynode;

struct dg_ypair {
	struct dg_ynode *key, *value;
};

struct dg_ynode {
	enum dg_ynode_kind kind;
	const char *tag;   /* as written ("!Ref", "!GetAtt", "tag:yaml.org,2002:str"), or NULL */
	size_t start, end; /* byte offsets into the source text */
	const char *value; /* scalars: the value, NUL-terminated */
	size_t len;	   /* scalars: its length */
	bool plain;	   /* scalars: written without quotes */
	struct dg_ypair *pairs;	 /* maps */
	struct dg_ynode **items; /* sequences */
	size_t n;		 /* pairs or items */
	bool seen;		 /* for walks: aliases make the tree a graph */
};

struct dg_ycomment {
	size_t start, end; /* from '#' to the end of its line (before CR/LF) */
	bool own_line;	   /* nothing but blanks before it on its line */
};

struct dg_ydoc {
	struct dg_ynode *root; /* NULL for an empty document */
	const char *text;      /* the source text the spans point into */
	struct dg_ycomment *comments;
	size_t n_comments;
	/* on failure: why, and where (byte offset) */
	const char *error;
	size_t error_at;
};

/* Reads the first document of src (YAML 1.1, which also reads JSON). Aliases point at their
 * anchor's node (never copied). false with doc->error set when the text is not well-formed or
 * nests deeper than DG_YAML_MAX_DEPTH. */
bool dg_yaml_load(const struct dg_source *src, struct dg_arena *a, struct dg_ydoc *doc);

/* The value of key `name` in a map (NULL if none, or `map` is not a map); *pair gets the pair. */
const struct dg_ynode *dg_ymap_get(const struct dg_ynode *map, const char *name);
const struct dg_ypair *dg_ymap_pair(const struct dg_ynode *map, const char *name);
/* Whether the node is a scalar equal to s. */
bool dg_yscalar_is(const struct dg_ynode *n, const char *s);
/* A scalar's value, or NULL for any other node (or NULL). */
const char *dg_yscalar(const struct dg_ynode *n);
/* A canonical text of the subtree for comparing two versions: intrinsic short forms (!Ref x,
 * !Sub x) spelled as their long forms ({"Ref": x}, {"Fn::Sub": x}), quoting and layout ignored.
 * At most `max` bytes are produced (longer values compare by their prefix). */
char *dg_ycanon(struct dg_arena *a, const struct dg_ynode *n, size_t max);

#endif
