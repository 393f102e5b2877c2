/* gen.c: the benchmark's mail, deterministic by seed: a Maildir of the mix
 * a secretariat receives (applications with ZIPs of real forms, replies
 * to the cases they open, automatic mail), one large workbook for
 * `nintei check`, and one application with a large attachment. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "formgen.h"

/* What one message of the mix is. */
enum gen_kind {
	GEN_APP,		/* a new application with forms */
	GEN_REVISION,		/* corrected forms, in a reply to a case */
	GEN_PPAP,		/* an application in an encrypted ZIP */
	GEN_PASSWORD,		/* ... and the password, in a second mail */
	GEN_REPLY,		/* a reply to a case, without forms */
	GEN_STRANGER,		/* a reply to a case by someone else */
	GEN_INQUIRY,		/* a question, no case */
	GEN_DSN,		/* a delivery status report */
	GEN_AUTOREPLY,		/* an out-of-office answer to a letter */
	GEN_BULK,		/* a newsletter */
	GEN_KINDS
};

static const char *gen_kind_names[GEN_KINDS] = {
	"application", "revision", "encrypted", "password", "reply",
	"stranger", "inquiry", "dsn", "autoreply", "bulk"
};

/* A case the applications open, in the order nintei numbers them. */
struct gen_case {
	unsigned int	 serial;
	const char	*scheme;
	char		*company;
	char		*service;
	char		*contact;
	char		*email;
	int		 deficient;
	unsigned int	 letter;	/* what the case's last letter was */
};

/* One message planned: its kind and the case it concerns. */
struct gen_msg {
	enum gen_kind	 kind;
	struct gen_case	*c;
	int		 deficient;	/* forms written wrong */
};

struct gen {
	const struct rules *rules;
	uint64_t	 seed;
	unsigned int	 year;
	unsigned int	 min_kb, max_kb;
	unsigned int	 part, parts;	/* write only messages i % parts ==
					   part */
	struct formgen_rng plan;
	GPtrArray	*cases;		/* struct gen_case, by serial */
	GPtrArray	*deficient;	/* cases a revision may correct */
	GQueue		 ppap;		/* cases whose password is due */
	unsigned int	 count[GEN_KINDS];
	uint64_t	 bytes[GEN_KINDS];
	uint64_t	 app_min, app_max;
};

static const char *gen_schemes[] = {
	"asp-saas", "iaas-paas", "datacenter", "medical", "mynumber"
};
static const char *gen_surnames[] = {
	"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林",
	"加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林",
	"清水", "斎藤"
};
static const char *gen_given[] = {
	"太郎", "花子", "一郎", "陽子", "健", "美咲", "翔", "由美", "大輔",
	"恵", "誠", "千尋", "亮", "彩", "直樹", "舞"
};
static const char *gen_stems[] = {
	"アオバ", "ミライ", "サクラ", "ヒカリ", "ツバサ", "ミナト", "カエデ",
	"ソラ", "イズミ", "アサヒ", "ハヤテ", "コスモ", "ユニティ", "ネクスト",
	"クラウディア", "データリンク"
};
static const char *gen_products[] = {
	"勤怠管理", "経費精算", "会計", "人事給与", "電子カルテ", "予約受付",
	"文書管理", "オンラインストレージ", "請求書発行", "顧客管理",
	"電子契約", "在庫管理", "学習管理", "健診データ管理"
};
static const char *gen_romaji[] = {
	"aoba", "mirai", "sakura", "hikari", "tsubasa", "minato", "kaede",
	"sora", "izumi", "asahi", "hayate", "cosmo", "unity", "next",
	"claudia", "datalink"
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: gen [-r RULES] [-s SEED] [-y YEAR] [-k MIN-MAX] "
	    "[-p PART/PARTS] mix DIR N\n"
	    "       gen [-r RULES] [-s SEED] book FILE ROWS\n"
	    "       gen [-r RULES] [-s SEED] big FILE MB\n");
	exit(2);
}

/* A generator of its own for message i: any part of the mix can be
 * written alone and comes out the same. */
static void
gen_rng(const struct gen *g, unsigned int i, struct formgen_rng *r)
{
	formgen_rng_seed(r, g->seed * 0x100000001b3ULL + i);
	formgen_rng_next(r);
}

static const char *
gen_pick(struct formgen_rng *r, const char *const *list, size_t n)
{
	return list[formgen_rng_below(r, (unsigned int)n)];
}
#define GEN_PICK(r, list)	gen_pick(r, list, G_N_ELEMENTS(list))

/* A new applicant: a company, its service and its contact. */
static struct gen_case *
gen_case_new(struct gen *g)
{
	struct gen_case	*c = g_new0(struct gen_case, 1);
	unsigned int	 k = formgen_rng_below(&g->plan,
			    G_N_ELEMENTS(gen_stems));
	unsigned int	 n = g->cases->len + 1;

	c->serial = n;
	c->scheme = GEN_PICK(&g->plan, gen_schemes);
	c->company = g_strdup_printf("株式会社%s%s", gen_stems[k],
	    formgen_rng_below(&g->plan, 2) ? "クラウド" : "システムズ");
	c->service = g_strdup_printf("%s%s%u", gen_stems[k],
	    GEN_PICK(&g->plan, gen_products), n);
	c->contact = g_strdup_printf("%s %s", GEN_PICK(&g->plan,
	    gen_surnames), GEN_PICK(&g->plan, gen_given));
	c->email = g_strdup_printf("contact%u@%s%u.example.jp", n,
	    gen_romaji[k], n % 997);
	return c;
}

static void
gen_case_free(gpointer p)
{
	struct gen_case	*c = p;

	g_free(c->company);
	g_free(c->service);
	g_free(c->contact);
	g_free(c->email);
	g_free(c);
}

/* A case at random, or NULL if none is open yet. */
static struct gen_case *
gen_any_case(struct gen *g)
{
	if (g->cases->len == 0)
		return NULL;
	return g_ptr_array_index(g->cases, formgen_rng_below(&g->plan,
	    g->cases->len));
}

/*
 * Plans message i: 60% carry forms (new applications, some in encrypted
 * ZIPs, some correcting a deficient case), 20% are replies without forms
 * (mostly to cases, the passwords of encrypted ZIPs among them), 20% are
 * automatic.
 */
static void
gen_plan(struct gen *g, struct gen_msg *m)
{
	unsigned int	 r = formgen_rng_below(&g->plan, 100), j;
	struct gen_case	*c;

	memset(m, 0, sizeof *m);
	if (r < 60) {
		j = formgen_rng_below(&g->plan, 100);
		if (j < 12 && g->deficient->len > 0) {
			m->kind = GEN_REVISION;
			m->c = g_ptr_array_steal_index_fast(g->deficient,
			    formgen_rng_below(&g->plan, g->deficient->len));
			m->c->deficient = 0;
			return;
		}
		c = gen_case_new(g);
		g_ptr_array_add(g->cases, c);
		c->deficient = formgen_rng_below(&g->plan, 100) < 45;
		m->c = c;
		m->deficient = c->deficient;
		if (j >= 97) {
			m->kind = GEN_PPAP;
			g_queue_push_tail(&g->ppap, c);
			return;
		}
		m->kind = GEN_APP;
		if (c->deficient)
			g_ptr_array_add(g->deficient, c);
		return;
	}
	if (r < 80) {
		if (!g_queue_is_empty(&g->ppap)) {
			m->kind = GEN_PASSWORD;
			m->c = g_queue_pop_head(&g->ppap);
			if (m->c->deficient)
				g_ptr_array_add(g->deficient, m->c);
			return;
		}
		j = formgen_rng_below(&g->plan, 100);
		if ((m->c = gen_any_case(g)) == NULL || j >= 95)
			m->kind = GEN_INQUIRY;
		else
			m->kind = j < 88 ? GEN_REPLY : GEN_STRANGER;
		return;
	}
	j = formgen_rng_below(&g->plan, 100);
	m->c = gen_any_case(g);
	if (j < 40)
		m->kind = GEN_DSN;
	else if (j < 70 && m->c != NULL)
		m->kind = GEN_AUTOREPLY;
	else
		m->kind = GEN_BULK;
}

/* The password of an encrypted application: both of its mails know it. */
static char *
gen_password(const struct gen *g, const struct gen_case *c)
{
	struct formgen_rng	r;

	formgen_rng_seed(&r, g->seed ^ ((uint64_t)c->serial << 32));
	return g_strdup_printf("Pw%08X", (unsigned int)formgen_rng_next(&r));
}

/* The case tag the secretariat's letters carry. */
static char *
gen_tag(const struct gen *g, const struct gen_case *c)
{
	return g_strdup_printf("[NINTEI-%u-%04u]", g->year, c->serial);
}

/* Text of n characters at most, in lines of 35 to 40. */
static char *
gen_lines(struct formgen_rng *r, const char *label, unsigned int n,
    const char *prefix)
{
	char		*t = formgen_text(r, label, n), *out;
	GString		*s = g_string_new(NULL);
	const char	*p;
	unsigned int	 col = 0;

	for (p = t; *p != '\0'; p = g_utf8_next_char(p)) {
		if (col == 0)
			g_string_append(s, prefix);
		g_string_append_unichar(s, g_utf8_get_char(p));
		if (++col >= 38 || g_utf8_get_char(p) == 0x3002) {	/* 。 */
			g_string_append_c(s, '\n');
			col = 0;
		}
	}
	if (col > 0)
		g_string_append_c(s, '\n');
	g_free(t);
	out = g_string_free(s, FALSE);
	return out;
}

/* Return-Path and the Received lines our MX would have added. */
static void
gen_envelope(GMimeMessage *m, struct formgen_rng *r, const char *rpath,
    const char *host, unsigned int i)
{
	GMimeObject	*obj = GMIME_OBJECT(m);
	char		*v;

	v = g_strdup_printf("from %s (%s [203.0.113.%u])\n\tby "
	    "mx.example.org (Postfix) with ESMTPS id 4Z%08X\n\tfor "
	    "<nintei@example.org>; Fri, 20 Nov 2026 09:00:00 +0900", host,
	    host, formgen_rng_range(r, 1, 254), i);
	g_mime_object_prepend_header(obj, "Received", v, NULL);
	g_free(v);
	v = g_strdup_printf("<%s>", rpath);
	g_mime_object_prepend_header(obj, "Return-Path", v, NULL);
	g_free(v);
}

/* The domain of an address. */
static const char *
gen_domain(const char *addr)
{
	const char	*at = strchr(addr, '@');

	return at != NULL ? at + 1 : addr;
}

/* The target size of an application's ZIP, log-uniform in the range. */
static unsigned int
gen_notes(const struct gen *g, struct formgen_rng *r)
{
	double	lo = log((double)g->min_kb), hi = log((double)g->max_kb);
	double	kb = exp(lo + (hi - lo) * (double)formgen_rng_below(r, 10000) /
		    10000.0);
	double	rows;

	/* A mail of kb: base64 (4/3 and line ends) of a ZIP holding the
	 * forms (about 10 KB) and the notes (about 0.22 KB each, deflated). */
	rows = (kb / 1.37 - 10.0) / 0.22;
	return rows < 0 ? 0 : (unsigned int)rows;
}

/* Writes the forms of an application packed as applicants do: mostly one
 * workbook in a ZIP, also two workbooks, a bare workbook or CSV. */
static GByteArray *
gen_forms(const struct gen *g, const struct formgen_app *a,
    const char *password, const char **name)
{
	const struct scheme	*s = rules_scheme(g->rules, a->scheme);
	GByteArray		*files[2], *zip;
	const char		*names[2];
	unsigned int		 how = formgen_rng_below(a->rng, 100);

	if (s == NULL)
		formgen_die("no scheme %s in the rules", a->scheme);
	if (password != NULL || how < 70) {
		files[0] = formgen_book(a, s, 1, 1);
		names[0] = "申請書類.xlsx";
		zip = formgen_zip(names, files, 1, 0, password);
		g_byte_array_free(files[0], TRUE);
		*name = "申請書類.zip";
		return zip;
	}
	if (how < 80) {
		*name = "情報開示認定申請書類.xlsx";
		return formgen_book(a, s, 1, 1);
	}
	if (how < 90) {
		files[0] = formgen_book(a, s, 1, 0);
		files[1] = formgen_book(a, s, 0, 1);
		names[0] = "申請書.xlsx";
		names[1] = "情報開示書.xlsx";
	} else {
		files[0] = formgen_csv_app(a, s);
		files[1] = formgen_csv_disc(a, s);
		names[0] = "申請書.csv";
		names[1] = "情報開示書.csv";
	}
	zip = formgen_zip(names, files, 2, how >= 90, NULL);
	g_byte_array_free(files[0], TRUE);
	g_byte_array_free(files[1], TRUE);
	*name = "申請書類一式.zip";
	return zip;
}

/* The application of a case (or its correction), as a mail. */
static GMimeMessage *
gen_application(struct gen *g, const struct gen_msg *m,
    struct formgen_rng *r, struct formgen_mail *fm, char **keep)
{
	struct formgen_app	 a;
	const char		*spoil[4] = { NULL, NULL, NULL, NULL };
	const struct scheme	*s = rules_scheme(g->rules, m->c->scheme);
	const struct rule_item	*it;
	GByteArray		*att;
	const char		*name;
	char			*password = NULL, *tag;
	GMimeMessage		*msg;
	unsigned int		 k, n;

	memset(&a, 0, sizeof a);
	a.scheme = m->c->scheme;
	a.kind = "新規";
	a.company = m->c->company;
	a.service = m->c->service;
	a.contact = m->c->contact;
	a.email = m->c->email;
	a.rng = r;
	a.notes = gen_notes(g, r);
	a.deficient = m->deficient && formgen_rng_below(r, 2) == 0;
	if (m->deficient) {
		/* One to three items more written wrong. */
		n = formgen_rng_range(r, a.deficient ? 0 : 1, 3);
		for (k = 0; k < n; k++) {
			it = g_ptr_array_index(s->items, formgen_rng_below(r,
			    s->items->len));
			spoil[k] = it->id;
		}
	}
	a.spoil = spoil;
	if (m->kind == GEN_PPAP)
		password = keep[0] = gen_password(g, m->c);
	att = gen_forms(g, &a, password, &name);
	keep[1] = formgen_app_body(&a);
	fm->body = keep[1];
	if (m->kind == GEN_REVISION) {
		tag = gen_tag(g, m->c);
		keep[2] = g_strdup_printf("Re: %s 不備のご連絡（%s）", tag,
		    m->c->service);
		keep[3] = g_strdup_printf("%s\n不備のご指摘をありがとうござい"
		    "ました。\n修正した申請書類をお送りします。\n",
		    m->c->company);
		fm->body = keep[3];
		g_free(tag);
	} else
		keep[2] = g_strdup_printf("情報開示認定の申請（%s）",
		    m->c->service);
	fm->subject = keep[2];
	msg = formgen_mail(fm, &name, &att, 1);
	g_byte_array_free(att, TRUE);
	return msg;
}

/* A delivery status report for one of our letters. */
static GMimeMessage *
gen_dsn(struct formgen_rng *r, struct formgen_mail *fm, unsigned int i,
    char **keep)
{
	GMimeMessage	*msg;
	GMimeMultipart	*mp;
	GMimeTextPart	*t;
	char		*id;

	id = g_strdup_printf("nintei.ack.%08x-%04x-4%03x-a%03x-%012llx@"
	    "example.org", (unsigned int)formgen_rng_next(r), i & 0xffff,
	    formgen_rng_below(r, 4096), formgen_rng_below(r, 4096),
	    (unsigned long long)(formgen_rng_next(r) & 0xffffffffffffULL));
	fm->from_name = "Mail Delivery System";
	fm->from = "MAILER-DAEMON@mx.example.jp";
	fm->subject = "Undelivered Mail Returned to Sender";
	keep[0] = g_strdup_printf("This is the mail system at host "
	    "mx.example.jp.\n\nI'm sorry to have to inform you that your "
	    "message could not\nbe delivered to one or more recipients.\n\n"
	    "<user%u@example.jp>: host mx.example.jp said: 550 5.1.1 User "
	    "unknown\n", i);
	fm->body = keep[0];
	msg = formgen_mail(fm, NULL, NULL, 0);
	mp = g_mime_multipart_new_with_subtype("report");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(mp),
	    "report-type", "delivery-status");
	g_mime_multipart_set_boundary(mp, fm->boundary);
	g_mime_multipart_add(mp, g_mime_message_get_mime_part(msg));
	keep[1] = g_strdup_printf("Reporting-MTA: dns; mx.example.jp\n"
	    "Arrival-Date: Fri, 20 Nov 2026 09:00:00 +0900\n\n"
	    "Final-Recipient: rfc822; user%u@example.jp\nAction: failed\n"
	    "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n",
	    i);
	t = formgen_text_part(keep[1], NULL);
	g_mime_object_set_content_type(GMIME_OBJECT(t),
	    g_mime_content_type_parse(NULL, "message/delivery-status"));
	g_mime_multipart_add(mp, GMIME_OBJECT(t));
	g_object_unref(t);
	keep[2] = g_strdup_printf("From: nintei@example.org\nTo: "
	    "user%u@example.jp\nSubject: =?UTF-8?B?5Y+X5LuY56K66KqN?=\n"
	    "Message-ID: <%s>\nAuto-Submitted: auto-replied\n", i, id);
	t = formgen_text_part(keep[2], NULL);
	g_mime_object_set_content_type(GMIME_OBJECT(t),
	    g_mime_content_type_parse(NULL, "text/rfc822-headers"));
	g_mime_multipart_add(mp, GMIME_OBJECT(t));
	g_object_unref(t);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(mp));
	g_object_unref(mp);
	g_free(id);
	return msg;
}

/* A newsletter: text and HTML alternatives. */
static GMimeMessage *
gen_bulk(struct formgen_rng *r, struct formgen_mail *fm, char **keep)
{
	static const char *hdrs[] = { "Precedence", "bulk",
	    "List-Id", "<news.cloud-news.example.jp>",
	    "List-Unsubscribe", "<mailto:leave@cloud-news.example.jp>",
	    NULL };
	GMimeMessage	*msg;
	GMimeMultipart	*mp;
	GMimeTextPart	*t;
	GString		*html;
	const char	*p;

	fm->from_name = "クラウド業界ニュース";
	fm->from = "news@cloud-news.example.jp";
	fm->subject = "【クラウド業界ニュース】今週の動向";
	fm->headers = hdrs;
	keep[0] = gen_lines(r, "今週の動向", formgen_rng_range(r, 1500, 8000),
	    "");
	fm->body = keep[0];
	msg = formgen_mail(fm, NULL, NULL, 0);
	mp = g_mime_multipart_new_with_subtype("alternative");
	g_mime_multipart_set_boundary(mp, fm->boundary);
	g_mime_multipart_add(mp, g_mime_message_get_mime_part(msg));
	html = g_string_new("<html><body>\n<p>");
	for (p = keep[0]; *p != '\0'; p++) {
		if (*p == '\n')
			g_string_append(html, "<br>\n");
		else
			g_string_append_c(html, *p);
	}
	g_string_append(html, "</p>\n</body></html>\n");
	keep[1] = g_string_free(html, FALSE);
	t = formgen_text_part(keep[1], NULL);
	g_mime_object_set_content_type(GMIME_OBJECT(t),
	    g_mime_content_type_parse(NULL, "text/html; charset=utf-8"));
	g_mime_part_set_content_encoding(GMIME_PART(t),
	    GMIME_CONTENT_ENCODING_BASE64);
	g_mime_multipart_add(mp, GMIME_OBJECT(t));
	g_object_unref(t);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(mp));
	g_object_unref(mp);
	return msg;
}

/* A mail without forms: a reply to a case, a password, a question. */
static GMimeMessage *
gen_text_mail(struct gen *g, const struct gen_msg *m, struct formgen_rng *r,
    struct formgen_mail *fm, char **keep)
{
	static const char *autohdrs[] = { "Auto-Submitted", "auto-replied",
	    NULL };
	char		*tag = m->c != NULL ? gen_tag(g, m->c) : NULL, *quote;
	char		*pw;

	switch (m->kind) {
	case GEN_PASSWORD:
		keep[0] = g_strdup_printf("情報開示認定の申請（%s）パスワード",
		    m->c->service);
		pw = gen_password(g, m->c);
		keep[1] = g_strdup_printf("%s\n%sです。\n\n先ほどお送りした"
		    "ZIPファイルのパスワードをお知らせします。\n\n"
		    "パスワード：%s\n\nよろしくお願いいたします。\n",
		    m->c->company, m->c->contact, pw);
		g_free(pw);
		break;
	case GEN_REPLY:
	case GEN_STRANGER:
		keep[0] = g_strdup_printf("Re: %s %s", tag,
		    formgen_rng_below(r, 2) ? "受付確認" : "審査手数料のご請求");
		quote = gen_lines(r, "受付のご連絡", formgen_rng_range(r, 200,
		    1500), "> ");
		keep[1] = g_strdup_printf("%s\n%sです。\n\nご連絡ありがとう"
		    "ございます。\n手数料の振込は%u月末を予定しております。\n"
		    "引き続きよろしくお願いいたします。\n\n%s",
		    m->c->company, m->kind == GEN_REPLY ? m->c->contact :
		    "経理部 木下", formgen_rng_range(r, 1, 12), quote);
		g_free(quote);
		break;
	case GEN_AUTOREPLY:
		keep[0] = g_strdup_printf("自動応答: Re: %s 受付確認", tag);
		keep[1] = g_strdup_printf("ただいま不在にしております。\n"
		    "%u月%u日以降に順次返信いたします。\n\n%s %s\n",
		    formgen_rng_range(r, 1, 12), formgen_rng_range(r, 1, 28),
		    m->c->company, m->c->contact);
		fm->headers = autohdrs;
		break;
	default:	/* GEN_INQUIRY */
		keep[0] = g_strdup("情報開示認定の申請方法について");
		keep[1] = gen_lines(r, "申請についてのお問い合わせ",
		    formgen_rng_range(r, 150, 800), "");
		break;
	}
	fm->subject = keep[0];
	fm->body = keep[1];
	fm->charset = formgen_rng_below(r, 100) < 30 ? "ISO-2022-JP" : NULL;
	g_free(tag);
	return formgen_mail(fm, NULL, NULL, 0);
}

/* Writes message i of the mix into dir/new. */
static void
gen_write_msg(struct gen *g, const struct gen_msg *m, unsigned int i,
    const char *dir)
{
	struct formgen_rng	 r;
	struct formgen_mail	 fm;
	GMimeMessage		*msg;
	GDateTime		*base, *date;
	GTimeZone		*tz = g_time_zone_new_offset(9 * 3600);
	char			*keep[4] = { NULL, NULL, NULL, NULL };
	char			*id, *boundary, *file, *tmp, *stranger = NULL;
	const char		*from;
	GStatBuf		 sb;
	size_t			 k;

	gen_rng(g, i, &r);
	memset(&fm, 0, sizeof fm);
	base = g_date_time_new(tz, 2026, 11, 20, 9, 0, 0);
	date = g_date_time_add_seconds(base, (gdouble)i * 7);
	g_date_time_unref(base);
	g_time_zone_unref(tz);
	fm.date = date;
	fm.to_name = "クラウドサービス情報開示認定事務局";
	fm.to = "nintei@example.org";
	from = m->c != NULL ? m->c->email : "someone@example.net";
	id = g_strdup_printf("bench.%u.%016llx@%s", i,
	    (unsigned long long)formgen_rng_next(&r), gen_domain(from));
	fm.message_id = id;
	boundary = g_strdup_printf("=_bench_%u_%08x", i,
	    (unsigned int)formgen_rng_next(&r));
	fm.boundary = boundary;
	if (m->c != NULL) {
		fm.from_name = m->c->contact;
		fm.from = m->c->email;
	}
	switch (m->kind) {
	case GEN_APP:
	case GEN_REVISION:
	case GEN_PPAP:
		msg = gen_application(g, m, &r, &fm, keep);
		break;
	case GEN_DSN:
		msg = gen_dsn(&r, &fm, i, keep);
		break;
	case GEN_BULK:
		msg = gen_bulk(&r, &fm, keep);
		break;
	case GEN_STRANGER:
		stranger = g_strdup_printf("keiri@%s", gen_domain(m->c->email));
		fm.from_name = "経理部 木下";
		fm.from = stranger;
		msg = gen_text_mail(g, m, &r, &fm, keep);
		break;
	case GEN_INQUIRY:
		stranger = g_strdup_printf("info%u@example.net", i);
		fm.from_name = "問合せ";
		fm.from = stranger;
		msg = gen_text_mail(g, m, &r, &fm, keep);
		break;
	default:
		msg = gen_text_mail(g, m, &r, &fm, keep);
		break;
	}
	gen_envelope(msg, &r, m->kind == GEN_DSN ? "" : fm.from,
	    gen_domain(fm.from), i);
	file = g_strdup_printf("%s/new/%010u.bench", dir, i);
	tmp = g_strdup_printf("%s/tmp/%010u.bench", dir, i);
	formgen_write(tmp, msg);
	if (rename(tmp, file) != 0)
		formgen_die("%s: %s", file, g_strerror(errno));
	if (g_stat(file, &sb) == 0) {
		g->bytes[m->kind] += (uint64_t)sb.st_size;
		if (m->kind == GEN_APP || m->kind == GEN_PPAP) {
			if (g->app_min == 0 || (uint64_t)sb.st_size <
			    g->app_min)
				g->app_min = (uint64_t)sb.st_size;
			if ((uint64_t)sb.st_size > g->app_max)
				g->app_max = (uint64_t)sb.st_size;
		}
	}
	g->count[m->kind]++;
	g_object_unref(msg);
	g_date_time_unref(date);
	for (k = 0; k < G_N_ELEMENTS(keep); k++)
		g_free(keep[k]);
	g_free(stranger);
	g_free(file);
	g_free(tmp);
	g_free(id);
	g_free(boundary);
}

/* Writes n messages of the mix into the Maildir dir. */
static void
gen_mix(struct gen *g, const char *dir, unsigned int n)
{
	struct gen_msg	 m;
	const char	*sub[] = { "new", "cur", "tmp" };
	char		*p;
	uint64_t	 total = 0;
	unsigned int	 i, k, written = 0;

	for (k = 0; k < G_N_ELEMENTS(sub); k++) {
		p = g_build_filename(dir, sub[k], NULL);
		if (g_mkdir_with_parents(p, 0755) != 0)
			formgen_die("%s: %s", p, g_strerror(errno));
		g_free(p);
	}
	for (i = 0; i < n; i++) {
		gen_plan(g, &m);
		if (i % g->parts == g->part)
			gen_write_msg(g, &m, i, dir);
	}
	for (k = 0; k < GEN_KINDS; k++) {
		written += g->count[k];
		total += g->bytes[k];
	}
	fprintf(stderr, "gen: %u messages (part %u/%u of %u), %.1f MB, "
	    "%u cases opened; applications %.0f-%.0f KB\n", written,
	    g->part + 1, g->parts, n, (double)total / 1e6, g->cases->len,
	    (double)g->app_min / 1024, (double)g->app_max / 1024);
	for (k = 0; k < GEN_KINDS; k++)
		fprintf(stderr, "  %-12s %7u  %8.1f MB\n", gen_kind_names[k],
		    g->count[k], (double)g->bytes[k] / 1e6);
}

/* A complete application of one company, its 情報開示書 of rows rows. */
static void
gen_app_fixed(struct formgen_app *a, struct formgen_rng *r,
    const struct scheme *s, unsigned int rows)
{
	memset(a, 0, sizeof *a);
	a->scheme = s->code;
	a->kind = "新規";
	a->company = "株式会社ベンチマーク";
	a->service = "ベンチマーク文書管理";
	a->contact = "山田 太郎";
	a->email = "yamada@bench.example.jp";
	a->rng = r;
	a->notes = rows > s->items->len ? rows - s->items->len : 0;
}

/* One workbook (both forms) with rows rows in its 情報開示書. */
static void
gen_book(struct gen *g, const char *file, unsigned int rows)
{
	const struct scheme	*s = rules_scheme(g->rules, "asp-saas");
	struct formgen_rng	 r;
	struct formgen_app	 a;
	GByteArray		*ba;
	GError			*error = NULL;

	gen_rng(g, 0, &r);
	gen_app_fixed(&a, &r, s, rows);
	ba = formgen_book(&a, s, 1, 1);
	if (!g_file_set_contents(file, (const char *)ba->data, ba->len,
	    &error))
		formgen_die("%s", error->message);
	fprintf(stderr, "gen: %s: %u rows, %.1f KB\n", file,
	    MAX(rows, s->items->len), (double)ba->len / 1024);
	g_byte_array_free(ba, TRUE);
}

/*
 * One application whose ZIP also holds a scanned document of mb MiB
 * (bytes that do not compress, like a PDF of images); 0 for none.
 */
static void
gen_big(struct gen *g, const char *file, unsigned int mb)
{
	const struct scheme	*s = rules_scheme(g->rules, "asp-saas");
	struct formgen_rng	 r;
	struct formgen_app	 a;
	struct formgen_mail	 fm;
	GMimeMessage		*msg;
	GByteArray		*files[2], *zip;
	const char		*names[2] = { "申請書類.xlsx", "登記事項証明書.pdf" };
	const char		*zname = "申請書類.zip";
	uint64_t		 v;
	size_t			 k;
	char			*body;
	GTimeZone		*tz = g_time_zone_new_offset(9 * 3600);

	gen_rng(g, 0, &r);
	gen_app_fixed(&a, &r, s, 300);
	files[0] = formgen_book(&a, s, 1, 1);
	files[1] = g_byte_array_sized_new(mb * 1024 * 1024);
	g_byte_array_append(files[1], (const guint8 *)"%PDF-1.7\n", 9);
	while (files[1]->len < mb * 1024 * 1024) {
		v = formgen_rng_next(&r);
		g_byte_array_append(files[1], (const guint8 *)&v, sizeof v);
	}
	zip = formgen_zip(names, files, mb > 0 ? 2 : 1, 0, NULL);
	memset(&fm, 0, sizeof fm);
	fm.from_name = a.contact;
	fm.from = a.email;
	fm.to_name = "クラウドサービス情報開示認定事務局";
	fm.to = "nintei@example.org";
	fm.subject = "情報開示認定の申請（ベンチマーク文書管理）";
	fm.message_id = "bench.big@bench.example.jp";
	fm.date = g_date_time_new(tz, 2026, 11, 20, 9, 0, 0);
	fm.boundary = "=_bench_big";
	body = formgen_app_body(&a);
	fm.body = body;
	msg = formgen_mail(&fm, &zname, &zip, 1);
	formgen_write(file, msg);
	fprintf(stderr, "gen: %s: a ZIP of %.1f MB attached\n", file,
	    (double)zip->len / 1e6);
	g_object_unref(msg);
	g_date_time_unref(fm.date);
	g_time_zone_unref(tz);
	for (k = 0; k < 2; k++)
		g_byte_array_free(files[k], TRUE);
	g_byte_array_free(zip, TRUE);
	g_free(body);
}

/* A whole number argument, or usage. */
static unsigned int
gen_number(const char *s)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > G_MAXUINT)
		usage();
	return (unsigned int)v;
}

int
main(int argc, char **argv)
{
	struct gen	 g;
	struct rules	*rules;
	const char	*rdir = "rules";
	int		 ch;

	memset(&g, 0, sizeof g);
	g.seed = 1;
	g.year = 2026;
	g.min_kb = 30;
	g.max_kb = 300;
	g.parts = 1;
	while ((ch = getopt(argc, argv, "k:p:r:s:y:")) != -1) {
		switch (ch) {
		case 'k':
			if (sscanf(optarg, "%u-%u", &g.min_kb,
			    &g.max_kb) != 2 || g.min_kb == 0 ||
			    g.max_kb < g.min_kb)
				usage();
			break;
		case 'p':
			if (sscanf(optarg, "%u/%u", &g.part, &g.parts) != 2 ||
			    g.part == 0 || g.part > g.parts)
				usage();
			g.part--;
			break;
		case 'r':
			rdir = optarg;
			break;
		case 's':
			g.seed = strtoull(optarg, NULL, 10);
			break;
		case 'y':
			g.year = gen_number(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3)
		usage();
	rules = formgen_start("gen", rdir);
	g.rules = rules;
	formgen_rng_seed(&g.plan, g.seed);
	g.cases = g_ptr_array_new_with_free_func(gen_case_free);
	g.deficient = g_ptr_array_new();
	g_queue_init(&g.ppap);
	if (strcmp(argv[0], "mix") == 0)
		gen_mix(&g, argv[1], gen_number(argv[2]));
	else if (strcmp(argv[0], "book") == 0)
		gen_book(&g, argv[1], gen_number(argv[2]));
	else if (strcmp(argv[0], "big") == 0)
		gen_big(&g, argv[1], gen_number(argv[2]));
	else
		usage();
	g_queue_clear(&g.ppap);
	g_ptr_array_free(g.deficient, TRUE);
	g_ptr_array_free(g.cases, TRUE);
	formgen_end(rules);
	return 0;
}
