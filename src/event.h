/* event.h: the table of the events of a case's history (event.c): each
 * kind's name in the store and its Japanese words for staff.  The code
 * that records an event names it by its enum; the views read the table. */
#ifndef EVENT_H
#define EVENT_H

struct eventrow;

enum event_kind {
	EVENT_OPENED,		/* an application opened the case */
	EVENT_STATE,		/* the state changed (from_state, to_state) */
	EVENT_CHECK,		/* the forms checked, the state unchanged */
	EVENT_REVISION,		/* corrected forms came */
	EVENT_LINKED,		/* a mail without the tag, linked by content */
	EVENT_CARRIED,		/* a form of an earlier mail carried over */
	EVENT_PASSWORD,		/* the ZIP's password came and opened it */
	EVENT_PASSWORD_FAILED,	/* the password that came did not */
	EVENT_REPLY,		/* the applicant wrote in the thread */
	EVENT_OWED,		/* ... and it needs an answer from staff */
	EVENT_HANDLED,		/* staff answered it without a letter */
	EVENT_FLAG,		/* something for staff to look at */
	EVENT_DUPLICATE,	/* the service may already be certified */
	EVENT_BOUNCE,		/* a letter of the case bounced */
	EVENT_PAYMENT,		/* part of the fee paid */
	EVENT_NOTE,		/* staff's note */
	EVENT_LETTER,		/* a letter queued (detail: its kind) */
	EVENT_LETTER_CHARSET,	/* a letter sent in UTF-8, not ISO-2022-JP */
	EVENT_LETTER_CAPPED,	/* (older stores) a letter over the cap */
	EVENT_LETTER_HELD,	/* a letter held over the daily cap */
	EVENT_LETTER_FAILED,	/* a letter not written: a template error */
	EVENT_LETTER_RENDERED,	/* ... written after the fix */
	EVENT_LETTER_RELEASED,	/* a held letter sent on its way */
	EVENT_LETTER_CANCELLED,	/* a held or failed letter never sent */
	EVENT_LETTER_WRITTEN,	/* a letter staff wrote */
	EVENT_LETTER_RESENT	/* a letter's text sent again */
};

/* The kind's name in the store and JSON ("letter_held"). */
const char	*event_name(enum event_kind);
/* Its words for staff ("文書を保留中（1日の上限）"), or NULL for a
 * name not in the table. */
const char	*event_label(const char *name);
/* An event as staff read it, in one line of text (newly allocated). */
char		*event_text(const struct eventrow *);

#endif
