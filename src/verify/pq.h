/* pq.h — libpq, loaded when a command first needs a server.
 *
 * libpq brings some twenty shared libraries with it (TLS, Kerberos, LDAP): linked into the
 * binary, loading them took 5 ms of every run, three quarters of a pre-commit hook's time on
 * one small file, though only `verify` and --stats-url ever connect. So the binary does
 * not link libpq: dg_pq_load() opens libpq.so.5 on first use, and the calls below go through
 * its functions (the prototypes stay libpq-fe.h's, checked by the compiler). Include this
 * header, not libpq-fe.h, where libpq is called. */
#ifndef DG_PQ_H
#define DG_PQ_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#define DG_PQ_FUNCTIONS(X)                                                                         \
	X(PQbackendPID)                                                                            \
	X(PQclear)                                                                                 \
	X(PQconnectdbParams)                                                                       \
	X(PQconsumeInput)                                                                          \
	X(PQerrorMessage)                                                                          \
	X(PQexec)                                                                                  \
	X(PQfinish)                                                                                \
	X(PQgetResult)                                                                             \
	X(PQgetvalue)                                                                              \
	X(PQisBusy)                                                                                \
	X(PQntuples)                                                                               \
	X(PQresultErrorField)                                                                      \
	X(PQresultErrorMessage)                                                                    \
	X(PQresultStatus)                                                                          \
	X(PQsendQuery)                                                                             \
	X(PQserverVersion)                                                                         \
	X(PQsetNoticeReceiver)                                                                     \
	X(PQstatus)                                                                                \
	X(PQtransactionStatus)

struct dg_pq {
#define DG_PQ_MEMBER(f) __typeof__(f) *f;
	DG_PQ_FUNCTIONS(DG_PQ_MEMBER)
#undef DG_PQ_MEMBER
};
extern struct dg_pq dg_pq;

/* Opens libpq once (thread-safe); false with why[] filled when it cannot be loaded. */
bool dg_pq_load(char *why, size_t size);

#ifndef DG_PQ_IMPLEMENTATION
#define PQbackendPID (dg_pq.PQbackendPID)
#define PQclear (dg_pq.PQclear)
#define PQconnectdbParams (dg_pq.PQconnectdbParams)
#define PQconsumeInput (dg_pq.PQconsumeInput)
#define PQerrorMessage (dg_pq.PQerrorMessage)
#define PQexec (dg_pq.PQexec)
#define PQfinish (dg_pq.PQfinish)
#define PQgetResult (dg_pq.PQgetResult)
#define PQgetvalue (dg_pq.PQgetvalue)
#define PQisBusy (dg_pq.PQisBusy)
#define PQntuples (dg_pq.PQntuples)
#define PQresultErrorField (dg_pq.PQresultErrorField)
#define PQresultErrorMessage (dg_pq.PQresultErrorMessage)
#define PQresultStatus (dg_pq.PQresultStatus)
#define PQsendQuery (dg_pq.PQsendQuery)
#define PQserverVersion (dg_pq.PQserverVersion)
#define PQsetNoticeReceiver (dg_pq.PQsetNoticeReceiver)
#define PQstatus (dg_pq.PQstatus)
#define PQtransactionStatus (dg_pq.PQtransactionStatus)
#endif

#endif
