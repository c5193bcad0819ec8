/* yaml.c — libyaml's event stream folded into a tree of spans, and the comments libyaml skips.
 * libyaml counts marks in characters; the tree keeps byte offsets, as findings need. */
#include "dynamodb/yaml.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

#define MAX_ANCHORS 4096

/* libyaml's mark.index counts code points (CRLF as two): walk the UTF-8 text to bytes. */
struct cursor {
	const char *text;
	size_t len, chars, bytes;
};

static size_t to_byte(struct cursor *c, size_t index)
{
	if (index < c->chars)
		c->chars = c->bytes = 0;
	while (c->chars < index && c->bytes < c->len) {
		c->bytes++;
		while (c->bytes < c->len && ((unsigned char)c->text[c->bytes] & 0xC0) == 0x80)
			c->bytes++;
		c->chars++;
	}
	return c->bytes;
}

struct frame {
	struct dg_ynode *node;
	struct dg_ynode *key; /* maps: a key waiting for its value */
	size_t cap;
	bool flow;
};

struct anchor {
	const char *name;
	struct dg_ynode *node;
};

struct loader {
	struct dg_arena *a;
	struct cursor cur;
	struct frame stack[DG_YAML_MAX_DEPTH];
	size_t depth;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t *scalar_spans; /* start, end pairs in source order */
	size_t n_spans, cap_spans;
	struct dg_ynode *root;
};

static struct dg_ynode *new_node(struct loader *l, enum dg_ynode_kind kind, const yaml_char_t *tag,
				 const yaml_event_t *ev)
{
	struct dg_ynode *n = dg_arena_alloc(l->a, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->tag = tag ? dg_arena_strndup(l->a, (const char *)tag, strlen((const char *)tag)) : NULL;
	n->start = to_byte(&l->cur, ev->start_mark.index);
	n->end = to_byte(&l->cur, ev->end_mark.index);
	return n;
}

static void attach(struct loader *l, struct dg_ynode *n)
{
	struct frame *f;

	if (!l->depth) {
		if (!l->root)
			l->root = n;
		return;
	}
	f = &l->stack[l->depth - 1];
	if (f->node->kind == DG_Y_SEQ) {
		f->node->items = dg_arena_grow(l->a, f->node->items, f->node->n, &f->cap,
					       sizeof(*f->node->items));
		f->node->items[f->node->n++] = n;
	} else if (!f->key) {
		f->key = n;
	} else {
		f->node->pairs = dg_arena_grow(l->a, f->node->pairs, f->node->n, &f->cap,
					       sizeof(*f->node->pairs));
		f->node->pairs[f->node->n++] = (struct dg_ypair){f->key, n};
		f->key = NULL;
	}
}

static bool add_anchor(struct loader *l, const yaml_char_t *name, struct dg_ynode *n)
{
	if (!name)
		return true;
	if (l->n_anchors >= MAX_ANCHORS)
		return false;
	l->anchors =
	    dg_arena_grow(l->a, l->anchors, l->n_anchors, &l->cap_anchors, sizeof(*l->anchors));
	l->anchors[l->n_anchors++] = (struct anchor){
	    dg_arena_strndup(l->a, (const char *)name, strlen((const char *)name)), n};
	return true;
}

static struct dg_ynode *find_anchor(const struct loader *l, const yaml_char_t *name)
{
	/* the latest definition wins, as YAML says */
	for (size_t i = l->n_anchors; i-- > 0;)
		if (strcmp(l->anchors[i].name, (const char *)name) == 0)
			return l->anchors[i].node;
	return NULL;
}

static void note_span(struct loader *l, size_t start, size_t end)
{
	l->scalar_spans =
	    dg_arena_grow(l->a, l->scalar_spans, l->n_spans, &l->cap_spans, 2 * sizeof(size_t));
	l->scalar_spans[2 * l->n_spans] = start;
	l->scalar_spans[2 * l->n_spans + 1] = end;
	l->n_spans++;
}

static void collect_comments(const struct dg_source *src, struct loader *l, struct dg_ydoc *doc)
{
	const char *s = src->text;
	size_t n = src->len, span = 0, cap = 0;

	for (size_t i = 0; i < n; i++) {
		size_t e;
		bool own = true;

		while (span < l->n_spans && l->scalar_spans[2 * span + 1] <= i)
			span++;
		if (span < l->n_spans && l->scalar_spans[2 * span] <= i) {
			i = l->scalar_spans[2 * span + 1] - 1;
			continue;
		}
		if (s[i] != '#' || (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t' &&
				    s[i - 1] != '\n' && s[i - 1] != '\r'))
			continue;
		for (size_t k = i; k > 0 && s[k - 1] != '\n'; k--)
			if (s[k - 1] != ' ' && s[k - 1] != '\t')
				own = false;
		e = i;
		while (e < n && s[e] != '\n')
			e++;
		doc->comments = dg_arena_grow(l->a, doc->comments, doc->n_comments, &cap,
					      sizeof(*doc->comments));
		doc->comments[doc->n_comments++] =
		    (struct dg_ycomment){i, e > i && s[e - 1] == '\r' ? e - 1 : e, own};
		i = e;
	}
}

bool dg_yaml_load(const struct dg_source *src, struct dg_arena *a, struct dg_ydoc *doc)
{
	yaml_parser_t parser;
	struct loader l;
	bool done = false, ok = true;

	memset(doc, 0, sizeof(*doc));
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.cur = (struct cursor){src->text, src->len, 0, 0};
	if (!yaml_parser_initialize(&parser)) {
		doc->error = "out of memory";
		return false;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
	while (!done && ok) {
		yaml_event_t ev;
		struct dg_ynode *n;

		if (!yaml_parser_parse(&parser, &ev)) {
			char msg[256];
			snprintf(msg, sizeof(msg), "%s%s%s",
				 parser.problem ? parser.problem : "bad YAML",
				 parser.context ? " " : "", parser.context ? parser.context : "");
			doc->error = dg_arena_strndup(a, msg, strlen(msg));
			doc->error_at = to_byte(&l.cur, parser.problem_mark.index);
			ok = false;
			break;
		}
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
			n = new_node(&l, DG_Y_SCALAR, ev.data.scalar.tag, &ev);
			n->value = dg_arena_strndup(a, (const char *)ev.data.scalar.value,
						    ev.data.scalar.length);
			n->len = ev.data.scalar.length;
			n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			note_span(&l, n->start, n->end);
			attach(&l, n);
			if (!add_anchor(&l, ev.data.scalar.anchor, n))
				ok = false;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			if (l.depth == DG_YAML_MAX_DEPTH) {
				doc->error = "the document nests deeper than 64 levels";
				doc->error_at = to_byte(&l.cur, ev.start_mark.index);
				ok = false;
				break;
			}
			n = new_node(&l, seq ? DG_Y_SEQ : DG_Y_MAP,
				     seq ? ev.data.sequence_start.tag : ev.data.mapping_start.tag,
				     &ev);
			attach(&l, n);
			if (!add_anchor(&l,
					seq ? ev.data.sequence_start.anchor
					    : ev.data.mapping_start.anchor,
					n))
				ok = false;
			l.stack[l.depth++] = (struct frame){
			    n, NULL, 0,
			    seq ? ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
				: ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE};
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			struct frame *f = &l.stack[--l.depth];
			struct dg_ynode *c = f->node;
			/* a block collection ends with its last value, not at the next token (which
			 * may be comments and blank lines further on) */
			if (f->flow)
				c->end = to_byte(&l.cur, ev.end_mark.index);
			else if (c->kind == DG_Y_SEQ && c->n)
				c->end = c->items[c->n - 1]->end;
			else if (c->kind == DG_Y_MAP && c->n)
				c->end = c->pairs[c->n - 1].value->end;
			else
				c->end = c->start;
			if (f->key) /* a key without a value (only in malformed flow) */
				f->key = NULL;
			break;
		}
		case YAML_ALIAS_EVENT:
			n = find_anchor(&l, ev.data.alias.anchor);
			if (!n) {
				doc->error = "an alias names no anchor";
				doc->error_at = to_byte(&l.cur, ev.start_mark.index);
				ok = false;
				break;
			}
			attach(&l, n);
			break;
		case YAML_DOCUMENT_END_EVENT:
			done = true; /* templates are one document */
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!ok)
		return false;
	doc->root = l.root;
	doc->text = src->text;
	collect_comments(src, &l, doc);
	return true;
}

/* `budget` bounds the maps visited: merge keys through aliases can make a graph that a plain
 * depth limit would still walk exponentially (<<: [*self, *self]) */
static const struct dg_ypair *map_pair(const struct dg_ynode *map, const char *name, int depth,
				       int *budget)
{
	if (!map || map->kind != DG_Y_MAP || depth > DG_YAML_MAX_DEPTH || --*budget < 0)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (dg_yscalar_is(map->pairs[i].key, name))
			return &map->pairs[i];
	/* YAML merge keys (<<: *defaults, <<: [*a, *b]): the map's own keys win, then the merged
	 * maps in order */
	for (size_t i = 0; i < map->n; i++) {
		const struct dg_ynode *k = map->pairs[i].key, *v = map->pairs[i].value;
		const struct dg_ypair *p = NULL;
		if (!dg_yscalar_is(k, "<<") || !k->plain)
			continue;
		if (v->kind == DG_Y_MAP)
			p = map_pair(v, name, depth + 1, budget);
		for (size_t j = 0; v->kind == DG_Y_SEQ && j < v->n && !p; j++)
			p = map_pair(v->items[j], name, depth + 1, budget);
		if (p)
			return p;
	}
	return NULL;
}

const struct dg_ypair *dg_ymap_pair(const struct dg_ynode *map, const char *name)
{
	int budget = 1024;

	return map_pair(map, name, 0, &budget);
}

const struct dg_ynode *dg_ymap_get(const struct dg_ynode *map, const char *name)
{
	const struct dg_ypair *p = dg_ymap_pair(map, name);
	return p ? p->value : NULL;
}

bool dg_yscalar_is(const struct dg_ynode *n, const char *s)
{
	return n && n->kind == DG_Y_SCALAR && strcmp(n->value, s) == 0;
}

const char *dg_yscalar(const struct dg_ynode *n)
{
	return n && n->kind == DG_Y_SCALAR ? n->value : NULL;
}

struct out {
	char *buf;
	size_t len, max;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > o->max)
		n = o->max - o->len;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_quoted(struct out *o, const char *s, size_t n)
{
	put(o, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			put(o, "\\", 1);
		put(o, s + i, 1);
	}
	put(o, "\"", 1);
}

/* "!Ref" → "Ref", "!GetAtt" → "Fn::GetAtt", "!Condition" → "Condition"; NULL for other tags. */
static const char *intrinsic(const char *tag, char *buf, size_t size)
{
	if (!tag || tag[0] != '!' || tag[1] == '!' || !tag[1] || strchr(tag, ':'))
		return NULL;
	if (strcmp(tag, "!Ref") == 0 || strcmp(tag, "!Condition") == 0)
		snprintf(buf, size, "%s", tag + 1);
	else
		snprintf(buf, size, "Fn::%s", tag + 1);
	return buf;
}

static void canon(struct out *o, const struct dg_ynode *n, int depth)
{
	char fn[128];
	const char *in;

	if (!n || depth > DG_YAML_MAX_DEPTH || o->len >= o->max)
		return;
	in = intrinsic(n->tag, fn, sizeof(fn));
	if (in) {
		puts_(o, "{");
		put_quoted(o, in, strlen(in));
		puts_(o, ":");
	}
	switch (n->kind) {
	case DG_Y_SCALAR:
		/* !GetAtt A.B is short for ["A", "B"] */
		if (in && strcmp(in, "Fn::GetAtt") == 0 && strchr(n->value, '.')) {
			const char *dot = strchr(n->value, '.');
			puts_(o, "[");
			put_quoted(o, n->value, (size_t)(dot - n->value));
			puts_(o, ",");
			put_quoted(o, dot + 1, strlen(dot + 1));
			puts_(o, "]");
		} else {
			put_quoted(o, n->value, n->len);
		}
		break;
	case DG_Y_MAP:
		puts_(o, "{");
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				puts_(o, ",");
			canon(o, n->pairs[i].key, depth + 1);
			puts_(o, ":");
			canon(o, n->pairs[i].value, depth + 1);
		}
		puts_(o, "}");
		break;
	case DG_Y_SEQ:
		puts_(o, "[");
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				puts_(o, ",");
			canon(o, n->items[i], depth + 1);
		}
		puts_(o, "]");
		break;
	}
	if (in)
		puts_(o, "}");
}

char *dg_ycanon(struct dg_arena *a, const struct dg_ynode *n, size_t max)
{
	struct out o = {dg_arena_alloc(a, max + 1), 0, max};

	canon(&o, n, 0);
	o.buf[o.len] = '\0';
	return o.buf;
}
