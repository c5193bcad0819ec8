/* pgtree.c — a text's parse tree from libpg_query, straight into an arena.
 *
 * pg_query_parse_protobuf builds the tree as protobuf-c messages (pg_query_nodes_to_protobuf),
 * then sizes and packs them into bytes, which were unpacked again here: over the corpus, sizing,
 * packing and unpacking took a third of all the CPU time, more than parsing. libpg_query calls
 * its own pg_query__parse_result__get_packed_size and __pack through the dynamic linker (they
 * are exported, and called by way of the PLT), so the definitions below, in the executable,
 * come first. While dg_pgtree_parse waits on this thread, the first is handed the messages
 * themselves: it copies them into the arena (the same messages unpacking gives) and says there
 * is nothing to pack. Everyone else, and this thread at any other time, gets protobuf-c's own
 * sizing and packing. Should a libpg_query build its bytes another way, the bytes come back
 * and are unpacked as before (the fallback below): the result is the same, only slower.
 */
#include "pgtree.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What dg_pgtree_parse waits for on this thread. */
struct capture {
	struct dg_arena *a;
	enum { WAITING, COPIED, PACKED } state;
	PgQuery__ParseResult *tree;
	bool deep;
	size_t deep_loc, deep_len;
};

static _Thread_local struct capture *capturing;
static _Thread_local bool use_bytes;

void dg_pgtree_use_bytes(bool on)
{
	use_bytes = on;
}

static size_t field_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
	default:
		return sizeof(void *);
	}
}

/* Copying: into `a`; levels counted as tree_depth_ok counts them (the ParseResult is 1), and no
 * message copied at `limit` or below (deep says one was there). */
struct copy {
	struct dg_arena *a;
	unsigned limit;
	bool deep;
};

static ProtobufCMessage *copy_message(struct copy *cp, const ProtobufCMessage *m, unsigned level);

static char *copy_string(struct copy *cp, char *s)
{
	/* the empty default is protobuf-c's own constant, as unpacking leaves it */
	return s && s != protobuf_c_empty_string ? dg_arena_strndup(cp->a, s, strlen(s)) : s;
}

static ProtobufCBinaryData copy_bytes(struct copy *cp, ProtobufCBinaryData b)
{
	if (b.len && b.data) {
		uint8_t *d = dg_arena_alloc(cp->a, b.len);
		memcpy(d, b.data, b.len);
		b.data = d;
	}
	return b;
}

/* Field fd of `from` into `to` (a copy of its bytes already). */
static void copy_field(struct copy *cp, const ProtobufCFieldDescriptor *fd, const char *from,
		       char *to, unsigned level)
{
	char *dst = to + fd->offset;

	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t n = *(const size_t *)(from + fd->quantifier_offset),
		       es = field_size(fd->type);
		const void *items = *(void *const *)(from + fd->offset);
		char *copy;

		if (!n || !items) {
			*(void **)dst = NULL;
			return;
		}
		copy = dg_arena_alloc(cp->a, n * es);
		memcpy(copy, items, n * es);
		*(void **)dst = copy;
		for (size_t k = 0; k < n && !cp->deep; k++) {
			if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
				ProtobufCMessage **e = (ProtobufCMessage **)copy + k;
				if (*e)
					*e = copy_message(cp, *e, level + 1);
			} else if (fd->type == PROTOBUF_C_TYPE_STRING) {
				char **e = (char **)copy + k;
				*e = copy_string(cp, *e);
			} else if (fd->type == PROTOBUF_C_TYPE_BYTES) {
				ProtobufCBinaryData *e = (ProtobufCBinaryData *)copy + k;
				*e = copy_bytes(cp, *e);
			}
		}
		return;
	}
	/* a member of a oneof holds something only when it is the one set */
	if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
	    *(const uint32_t *)(from + fd->quantifier_offset) != fd->id)
		return;
	switch (fd->type) {
	case PROTOBUF_C_TYPE_MESSAGE: {
		ProtobufCMessage *sub = *(ProtobufCMessage **)dst;
		if (sub)
			*(ProtobufCMessage **)dst = copy_message(cp, sub, level + 1);
		break;
	}
	case PROTOBUF_C_TYPE_STRING:
		*(char **)dst = copy_string(cp, *(char **)dst);
		break;
	case PROTOBUF_C_TYPE_BYTES:
		*(ProtobufCBinaryData *)dst = copy_bytes(cp, *(ProtobufCBinaryData *)dst);
		break;
	default:
		break;
	}
}

/* What copying a message of one type does besides copying its bytes: the fields that hold
 * pointers (repeated ones, messages, strings, bytes), worked out once per type for every type a
 * parse result can hold; and a Node's field for each node_case. A type without a plan (none is
 * expected) is copied field by field. */
struct plan {
	const ProtobufCMessageDescriptor *d;
	unsigned n;
	const ProtobufCFieldDescriptor *const *fields;
};

#define PLAN_SLOTS 2048 /* a power of two, well above the ~270 message types */
#define PLAN_FIELDS 16384
#define NODE_CASES 1024

static struct plan plans[PLAN_SLOTS];
static const ProtobufCFieldDescriptor *plan_fields[PLAN_FIELDS];
static size_t n_plans, n_plan_fields;
static const ProtobufCFieldDescriptor *node_fields[NODE_CASES];
static pthread_once_t plans_once = PTHREAD_ONCE_INIT;

static size_t plan_slot(const ProtobufCMessageDescriptor *d)
{
	uint64_t h = (uint64_t)(uintptr_t)d * 0x9E3779B97F4A7C15ULL;

	return (size_t)(h >> 40) & (PLAN_SLOTS - 1);
}

static const struct plan *plan_of(const ProtobufCMessageDescriptor *d)
{
	for (size_t i = plan_slot(d); plans[i].d; i = (i + 1) & (PLAN_SLOTS - 1))
		if (plans[i].d == d)
			return &plans[i];
	return NULL;
}

static void plan_add(const ProtobufCMessageDescriptor *d)
{
	size_t i, first = n_plan_fields;

	if (plan_of(d) || 2 * (n_plans + 1) > PLAN_SLOTS)
		return; /* known, or no room: copied field by field */
	for (i = plan_slot(d); plans[i].d; i = (i + 1) & (PLAN_SLOTS - 1))
		;
	for (unsigned f = 0; f < d->n_fields; f++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[f];
		if (fd->label != PROTOBUF_C_LABEL_REPEATED && fd->type != PROTOBUF_C_TYPE_MESSAGE &&
		    fd->type != PROTOBUF_C_TYPE_STRING && fd->type != PROTOBUF_C_TYPE_BYTES)
			continue;
		if (n_plan_fields == PLAN_FIELDS) {
			n_plan_fields = first;
			return;
		}
		plan_fields[n_plan_fields++] = fd;
	}
	plans[i] = (struct plan){d, (unsigned)(n_plan_fields - first), plan_fields + first};
	n_plans++;
	for (unsigned f = 0; f < d->n_fields; f++)
		if (d->fields[f].type == PROTOBUF_C_TYPE_MESSAGE)
			plan_add(d->fields[f].descriptor);
}

static void plans_build(void)
{
	const ProtobufCMessageDescriptor *nd = &pg_query__node__descriptor;

	plan_add(&pg_query__parse_result__descriptor);
	for (unsigned f = 0; f < nd->n_fields; f++)
		if (nd->fields[f].id < NODE_CASES)
			node_fields[nd->fields[f].id] = &nd->fields[f];
}

static ProtobufCMessage *copy_message(struct copy *cp, const ProtobufCMessage *m, unsigned level)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const struct plan *plan;
	ProtobufCMessage *c;

	if (level >= cp->limit) {
		cp->deep = true;
		return NULL;
	}
	c = dg_arena_alloc(cp->a, d->sizeof_message);
	memcpy(c, m, d->sizeof_message);
	c->n_unknown_fields = 0;
	c->unknown_fields = NULL;
	if (d == &pg_query__node__descriptor) {
		/* a Node is a oneof of ~250 messages: go straight to the one it holds */
		const PgQuery__Node *n = (const PgQuery__Node *)m;
		unsigned nc = (unsigned)n->node_case;
		const ProtobufCFieldDescriptor *fd =
		    n->node_case == PG_QUERY__NODE__NODE__NOT_SET ? NULL
		    : nc < NODE_CASES && node_fields[nc]
			? node_fields[nc]
			: protobuf_c_message_descriptor_get_field(d, nc);
		if (fd)
			copy_field(cp, fd, (const char *)m, (char *)c, level);
		return c;
	}
	if ((plan = plan_of(d))) {
		for (unsigned i = 0; i < plan->n && !cp->deep; i++)
			copy_field(cp, plan->fields[i], (const char *)m, (char *)c, level);
		return c;
	}
	for (unsigned i = 0; i < d->n_fields && !cp->deep; i++)
		copy_field(cp, &d->fields[i], (const char *)m, (char *)c, level);
	return c;
}

ProtobufCMessage *dg_pb_copy(struct dg_arena *a, const ProtobufCMessage *m)
{
	struct copy cp = {a, UINT32_MAX, false};

	pthread_once(&plans_once, plans_build);
	return m ? copy_message(&cp, m, 1) : NULL;
}

/* The parse result into c->a, statement by statement; a statement deeper than
 * DG_MAX_TREE_DEPTH stops it (nothing is kept: the caller blanks it and parses again). */
static void capture_tree(struct capture *c, const PgQuery__ParseResult *pr)
{
	struct copy cp = {c->a, DG_MAX_TREE_DEPTH + 2, false};
	PgQuery__ParseResult *t = dg_arena_alloc(c->a, sizeof(*t));

	pthread_once(&plans_once, plans_build);
	*t = *pr;
	t->base.n_unknown_fields = 0;
	t->base.unknown_fields = NULL;
	t->stmts = pr->n_stmts ? dg_arena_alloc(c->a, pr->n_stmts * sizeof(*t->stmts)) : NULL;
	for (size_t i = 0; i < pr->n_stmts; i++) {
		const PgQuery__RawStmt *raw = pr->stmts[i];
		t->stmts[i] = raw ? (PgQuery__RawStmt *)copy_message(&cp, &raw->base, 2) : NULL;
		if (cp.deep) {
			c->deep = true;
			c->deep_loc = raw->stmt_location > 0 ? (size_t)raw->stmt_location : 0;
			c->deep_len = raw->stmt_len > 0 ? (size_t)raw->stmt_len : 0;
			return;
		}
	}
	c->tree = t;
}

size_t pg_query__parse_result__get_packed_size(const PgQuery__ParseResult *message)
{
	struct capture *c = capturing;

	if (!c || c->state != WAITING)
		return protobuf_c_message_get_packed_size(&message->base);
	capture_tree(c, message);
	c->state = COPIED;
	return 0;
}

size_t pg_query__parse_result__pack(const PgQuery__ParseResult *message, uint8_t *out)
{
	struct capture *c = capturing;

	if (!c || c->state != COPIED)
		return protobuf_c_message_pack(&message->base, out);
	c->state = PACKED; /* into the 0 bytes it was told of */
	return 0;
}

/* ---- the fallback: bytes from libpg_query, unpacked ---------------------------------------- */

static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t b = *(*p)++;
		*v |= (uint64_t)(b & 0x7F) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* Reads the packed parse result without recursing (the wire format, the message descriptors
 * telling which length-delimited fields are messages): false when a statement nests deeper than
 * DG_MAX_TREE_DEPTH, with its byte location and length (0: to the end) in *loc and *len. */
static bool tree_depth_ok(PgQueryProtobuf pb, size_t *loc, size_t *len)
{
	struct frame {
		const uint8_t *end;
		const ProtobufCMessageDescriptor *d;
	} *stack = dg_xmalloc((DG_MAX_TREE_DEPTH + 2) * sizeof(*stack));
	const uint8_t *p = (const uint8_t *)pb.data, *end = p + pb.len;
	size_t sp = 1;
	bool deep = false;
	uint64_t stmt_loc = 0, stmt_len = 0;

	stack[0] = (struct frame){end, &pg_query__parse_result__descriptor};
	while (sp) {
		uint64_t tag, v;
		if (p >= stack[sp - 1].end) {
			if (--sp == 1 && deep) { /* the RawStmt that holds the deep node ends */
				*loc = (size_t)stmt_loc;
				*len = (size_t)stmt_len;
				free(stack);
				return false;
			}
			continue;
		}
		if (!varint(&p, stack[sp - 1].end, &tag))
			goto done; /* not ours to judge: unpacking will refuse it */
		switch (tag & 7) {
		case 0:
			if (!varint(&p, stack[sp - 1].end, &v))
				goto done;
			if (sp == 2 && (tag >> 3) == 2)
				stmt_loc = v; /* RawStmt.stmt_location */
			else if (sp == 2 && (tag >> 3) == 3)
				stmt_len = v;
			break;
		case 1:
		case 5:
			if ((size_t)(stack[sp - 1].end - p) < ((tag & 7) == 1 ? 8u : 4u))
				goto done;
			p += (tag & 7) == 1 ? 8 : 4;
			break;
		case 2: {
			const ProtobufCFieldDescriptor *fd;
			if (!varint(&p, stack[sp - 1].end, &v) ||
			    v > (uint64_t)(stack[sp - 1].end - p))
				goto done;
			fd = protobuf_c_message_descriptor_get_field(stack[sp - 1].d,
								     (unsigned)(tag >> 3));
			if (!fd || fd->type != PROTOBUF_C_TYPE_MESSAGE) {
				p += v;
				break;
			}
			if (sp == 1)
				stmt_loc = stmt_len = 0, deep = false; /* a new RawStmt */
			if (sp > DG_MAX_TREE_DEPTH) {
				/* skip the rest of the statement's tree: only its location is left
				 * to read, in the RawStmt */
				deep = true;
				p = stack[2].end;
				sp = 2;
				break;
			}
			stack[sp++] = (struct frame){p + v, fd->descriptor};
			break;
		}
		default:
			goto done;
		}
	}
done:
	free(stack);
	return true;
}

void dg_pgtree_parse(struct dg_arena *a, const char *text, struct dg_pgtree *out)
{
	struct capture c = {a, WAITING, NULL, false, 0, 0};

	memset(out, 0, sizeof(*out));
	capturing = use_bytes ? NULL : &c;
	out->r = pg_query_parse_protobuf(text);
	capturing = NULL;
	out->error = out->r.error;
	if (out->error)
		return;
	if (c.state != WAITING) {
		out->tree = c.tree;
		out->deep = c.deep;
		out->deep_loc = c.deep_loc;
		out->deep_len = c.deep_len;
		return;
	}
	if (!tree_depth_ok(out->r.parse_tree, &out->deep_loc, &out->deep_len)) {
		out->deep = true;
		return;
	}
	out->tree = pg_query__parse_result__unpack(&a->pb, out->r.parse_tree.len,
						   (const uint8_t *)out->r.parse_tree.data);
}

void dg_pgtree_release(struct dg_pgtree *t)
{
	pg_query_free_protobuf_parse_result(t->r);
	memset(t, 0, sizeof(*t));
}
