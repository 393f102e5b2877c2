/* conf.c: the INI configuration (GKeyFile), its defaults, and paths
 * relative to the configuration file's folder. */

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "forms.h"
#include "invoice.h"
#include "nintei.h"
#include "source.h"

/* Every key nintei knows, by group, so that a typo is reported. */
static const char *conf_known[] = {
	"secretariat:address", "secretariat:name", "secretariat:tag",
	"secretariat:timezone", "secretariat:signature",
	"source:url", "source:credentials", "source:after",
	"transport:url", "transport:credentials", "transport:envelope_from",
	"transport:send_after_poll", "transport:stuck_after",
	"transport:command_timeout", "transport:data_timeout",
	"transport:final_timeout", "transport:debug",
	"tls:ca_file", "tls:verify",
	"store:path", "store:busy_timeout",
	"letters:templates", "letters:charset",
	"rules:path",
	"limits:message_size", "limits:mime_depth", "limits:mime_parts",
	"limits:zip_entries", "limits:zip_entry_size", "limits:zip_total_size",
	"limits:zip_ratio", "limits:xlsx_cells", "limits:csv_rows",
	"limits:csv_cols", "limits:parse_seconds", "limits:parse_cpu_seconds",
	"limits:parse_memory", "limits:parse_seccomp", "limits:network_timeout",
	"fee:tax_rate", "fee:due_days", "fee:bank", "fee:receipt",
	"fee:invoice_number", "fee:issuer",
	"certification:validity_from",
	"screen:spf", "screen:receiving_host", "screen:trusted_hops",
	"screen:trust_authentication_results", "screen:spf_zone",
	"screen:spf_temperror_runs", "screen:letters_per_day",
	"screen:password_days",
	"report:html", "report:stale_days",
	"intake:batch", "intake:parse_ahead",
	NULL
};

const char *
conf_default_file(void)
{
	const char	*env = getenv("NINTEI_CONF");

	if (env != NULL && *env != '\0')
		return env;
	if (g_file_test("nintei.conf", G_FILE_TEST_EXISTS))
		return "nintei.conf";
	return "/etc/nintei/nintei.conf";
}

/* A string value, or def when absent or empty. */
static char *
conf_str(GKeyFile *kf, const char *group, const char *key, const char *def)
{
	char	*v = g_key_file_get_string(kf, group, key, NULL);

	if (v != NULL)
		g_strstrip(v);
	if (v == NULL || *v == '\0') {
		g_free(v);
		return def != NULL ? g_strdup(def) : NULL;
	}
	return v;
}

/* A yes/no value. */
static int
conf_bool(GKeyFile *kf, const char *group, const char *key, int def,
    char **cause)
{
	char	*v = conf_str(kf, group, key, NULL);
	int	 r = def;

	if (v == NULL)
		return def;
	if (g_ascii_strcasecmp(v, "yes") == 0 ||
	    g_ascii_strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
		r = 1;
	else if (g_ascii_strcasecmp(v, "no") == 0 ||
	    g_ascii_strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
		r = 0;
	else if (*cause == NULL)
		*cause = g_strdup_printf("[%s] %s: \"%s\" is not yes or no",
		    group, key, v);
	g_free(v);
	return r;
}

/* A whole number (0 allowed). */
static uint64_t
conf_num(GKeyFile *kf, const char *group, const char *key, uint64_t def,
    char **cause)
{
	char		*v = conf_str(kf, group, key, NULL), *end;
	uint64_t	 n;

	if (v == NULL)
		return def;
	n = g_ascii_strtoull(v, &end, 10);
	if (end == v || *end != '\0') {
		if (*cause == NULL)
			*cause = g_strdup_printf("[%s] %s: \"%s\" is not a "
			    "number", group, key, v);
		n = def;
	}
	g_free(v);
	return n;
}

/* A size with an optional K, M or G suffix. */
/* A unit letter and what it multiplies by. */
struct conf_unit {
	char		letter;
	uint64_t	mult;
};

static const struct conf_unit conf_sizes[] = {
	{ 'K', 1024 }, { 'M', 1024 * 1024 }, { 'G', 1024 * 1024 * 1024 },
	{ '\0', 0 }
};

static const struct conf_unit conf_times[] = {
	{ 'S', 1 }, { 'M', 60 }, { 'H', 3600 }, { 'D', 86400 }, { '\0', 0 }
};

/*
 * A positive number with an optional unit letter (either case), at most
 * max once scaled: def when the key is absent; when it is malformed, def
 * and *cause saying it should look like like.
 */
static uint64_t
conf_scaled(GKeyFile *kf, const char *group, const char *key, uint64_t def,
    const struct conf_unit *units, uint64_t max, const char *like,
    char **cause)
{
	char		*v = conf_str(kf, group, key, NULL), *end;
	uint64_t	 n, mult = 1;
	size_t		 i;

	if (v == NULL)
		return def;
	n = g_ascii_strtoull(v, &end, 10);
	for (i = 0; units[i].letter != '\0'; i++) {
		if (g_ascii_toupper(*end) == units[i].letter) {
			mult = units[i].mult;
			end++;
			break;
		}
	}
	if (end == v || *end != '\0' || n == 0 || n > max / mult) {
		if (*cause == NULL)
			*cause = g_strdup_printf("[%s] %s: \"%s\" is not %s",
			    group, key, v, like);
		n = def;
		mult = 1;
	}
	g_free(v);
	return n * mult;
}

/* A size with an optional K, M or G suffix. */
static uint64_t
conf_size(GKeyFile *kf, const char *group, const char *key, uint64_t def,
    char **cause)
{
	return conf_scaled(kf, group, key, def, conf_sizes, UINT64_MAX,
	    "a size (like 50M)", cause);
}

/* A duration in seconds, at most a year: a number with s, m, h or d
 * (seconds if none). */
static int64_t
conf_duration(GKeyFile *kf, const char *group, const char *key, int64_t def,
    char **cause)
{
	return (int64_t)conf_scaled(kf, group, key, (uint64_t)def,
	    conf_times, 366 * 86400, "a duration (like 90s, 30m, 24h or 7d)",
	    cause);
}

char *
conf_path(const struct conf *c, const char *p)
{
	if (p == NULL)
		return NULL;
	if (g_path_is_absolute(p))
		return g_strdup(p);
	return g_build_filename(c->dir, p, NULL);
}

/* Warns about groups and keys nintei does not know. */
static void
conf_check_keys(GKeyFile *kf, const char *file)
{
	char	**groups, **keys, *gk;
	gsize	  i, j, k;
	int	  known;

	groups = g_key_file_get_groups(kf, NULL);
	for (i = 0; groups[i] != NULL; i++) {
		keys = g_key_file_get_keys(kf, groups[i], NULL, NULL);
		for (j = 0; keys != NULL && keys[j] != NULL; j++) {
			gk = g_strdup_printf("%s:%s", groups[i], keys[j]);
			known = 0;
			for (k = 0; conf_known[k] != NULL && !known; k++)
				known = strcmp(conf_known[k], gk) == 0;
			if (!known)
				log_warn("%s: unknown key [%s] %s", file,
				    groups[i], keys[j]);
			g_free(gk);
		}
		g_strfreev(keys);
	}
	g_strfreev(groups);
}

struct conf *
conf_load(const char *file, char **cause)
{
	GKeyFile	*kf = g_key_file_new();
	GError		*error = NULL;
	struct conf	*c;
	struct form_limits fl;
	char		*abs, *v, *why;

	if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, &error)) {
		*cause = g_strdup_printf("%s: %s", file, error->message);
		g_error_free(error);
		g_key_file_free(kf);
		return NULL;
	}
	c = g_new0(struct conf, 1);
	abs = g_canonicalize_filename(file, NULL);
	c->file = abs;
	c->dir = g_path_get_dirname(abs);
	*cause = NULL;

	c->address = conf_str(kf, "secretariat", "address",
	    "nintei@example.org");
	c->name = conf_str(kf, "secretariat", "name", "認定事務局");
	c->tag = conf_str(kf, "secretariat", "tag", "NINTEI");
	c->timezone = conf_str(kf, "secretariat", "timezone", "Asia/Tokyo");
	c->signature = conf_str(kf, "secretariat", "signature", NULL);
	if (c->signature == NULL)
		c->signature = g_strdup(c->name);

	c->source_url = conf_str(kf, "source", "url", "maildir:spool/inbox");
	v = conf_str(kf, "source", "credentials", NULL);
	c->source_credentials = conf_path(c, v);
	g_free(v);
	c->source_after = conf_str(kf, "source", "after", NULL);

	c->transport_url = conf_str(kf, "transport", "url",
	    "maildir:spool/outbox");
	v = conf_str(kf, "transport", "credentials", NULL);
	c->transport_credentials = conf_path(c, v);
	g_free(v);
	c->envelope_from = conf_str(kf, "transport", "envelope_from", NULL);
	c->send_after_poll = conf_bool(kf, "transport", "send_after_poll", 1,
	    cause);
	c->stuck_after = conf_duration(kf, "transport", "stuck_after",
	    24 * 3600, cause);
	/* RFC 5321 4.5.3.2: the server's replies may take this long. */
	c->smtp_command_timeout = conf_duration(kf, "transport",
	    "command_timeout", 5 * 60, cause);
	c->smtp_data_timeout = conf_duration(kf, "transport", "data_timeout",
	    3 * 60, cause);
	c->smtp_final_timeout = conf_duration(kf, "transport",
	    "final_timeout", 10 * 60, cause);
	c->smtp_debug = conf_bool(kf, "transport", "debug", 0, cause);

	v = conf_str(kf, "tls", "ca_file", NULL);
	c->tls_ca_file = conf_path(c, v);
	g_free(v);
	c->tls_verify = conf_bool(kf, "tls", "verify", 1, cause);

	c->busy_seconds = (unsigned int)conf_num(kf, "store", "busy_timeout",
	    15, cause);
	v = conf_str(kf, "store", "path", "spool");
	c->store = conf_path(c, v);
	g_free(v);
	v = conf_str(kf, "letters", "templates", "templates");
	c->templates = conf_path(c, v);
	g_free(v);
	v = conf_str(kf, "letters", "charset", "utf-8");
	if (g_ascii_strcasecmp(v, "iso-2022-jp") == 0)
		c->letters_jis = 1;
	else if (g_ascii_strcasecmp(v, "utf-8") != 0 && *cause == NULL)
		*cause = g_strdup_printf("[letters] charset: \"%s\" is not "
		    "utf-8 or iso-2022-jp", v);
	g_free(v);
	v = conf_str(kf, "rules", "path", "rules");
	c->rules = conf_path(c, v);
	g_free(v);

	c->max_message = conf_size(kf, "limits", "message_size",
	    50 * 1024 * 1024, cause);
	/* The readers' own defaults, not copies of them. */
	forms_limits_default(&fl);
	c->mime.max_depth = (unsigned int)conf_size(kf, "limits",
	    "mime_depth", MAIL_MAX_DEPTH, cause);
	c->mime.max_parts = (unsigned int)conf_size(kf, "limits",
	    "mime_parts", MAIL_MAX_PARTS, cause);
	c->zip_entries = conf_size(kf, "limits", "zip_entries",
	    fl.zip.max_entries, cause);
	c->zip_entry_size = conf_size(kf, "limits", "zip_entry_size",
	    fl.zip.max_entry_size, cause);
	c->zip_total_size = conf_size(kf, "limits", "zip_total_size",
	    fl.zip.max_total_size, cause);
	c->zip_ratio = conf_size(kf, "limits", "zip_ratio", fl.zip.max_ratio,
	    cause);
	c->xlsx_cells = conf_size(kf, "limits", "xlsx_cells",
	    fl.xlsx.max_cells, cause);
	c->csv_rows = conf_size(kf, "limits", "csv_rows", fl.csv.max_rows,
	    cause);
	c->csv_cols = conf_size(kf, "limits", "csv_cols", fl.csv.max_cols,
	    cause);
	c->parse_seconds = (unsigned int)conf_num(kf, "limits",
	    "parse_seconds", 60, cause);
	c->parse_cpu = (unsigned int)conf_num(kf, "limits",
	    "parse_cpu_seconds", 30, cause);
	c->parse_memory = conf_size(kf, "limits", "parse_memory",
	    (uint64_t)1024 * 1024 * 1024, cause);
	c->parse_seccomp = conf_bool(kf, "limits", "parse_seccomp", 1, cause);
	c->net_timeout = conf_duration(kf, "limits", "network_timeout", 60,
	    cause);
	c->batch = (unsigned int)conf_num(kf, "intake", "batch", 16, cause);
	if (c->batch < 1)
		c->batch = 1;
	if (c->batch > 1000)
		c->batch = 1000;
	c->ahead = (unsigned int)conf_num(kf, "intake", "parse_ahead", 2,
	    cause);
	if (c->ahead > 16)
		c->ahead = 16;

	c->tax_rate = (int)conf_num(kf, "fee", "tax_rate", 10, cause);
	c->due_days = (int)conf_num(kf, "fee", "due_days", 30, cause);
	c->bank = conf_str(kf, "fee", "bank", "（お振込先は別途ご案内いたします）");
	c->receipt = conf_bool(kf, "fee", "receipt", 0, cause);
	c->issuer = conf_str(kf, "fee", "issuer", c->name);
	if ((v = conf_str(kf, "fee", "invoice_number", NULL)) != NULL) {
		why = NULL;
		c->invoice_number = invoice_number(v, &why);
		if (c->invoice_number == NULL && *cause == NULL)
			*cause = g_strdup_printf("[fee] invoice_number: %s "
			    "(the registration number of a qualified invoice "
			    "issuer)", why);
		g_free(why);
		g_free(v);
	}
	c->spf = conf_bool(kf, "screen", "spf", 0, cause);
	c->spf_host = conf_str(kf, "screen", "receiving_host", NULL);
	c->spf_hops = (int)conf_num(kf, "screen", "trusted_hops", 0, cause);
	c->spf_trust_authres = conf_bool(kf, "screen",
	    "trust_authentication_results", 0, cause);
	v = conf_str(kf, "screen", "spf_zone", NULL);
	c->spf_zone = conf_path(c, v);
	g_free(v);
	c->spf_retries = (int)conf_num(kf, "screen", "spf_temperror_runs", 3,
	    cause);
	c->letters_per_day = (int)conf_num(kf, "screen", "letters_per_day",
	    10, cause);
	c->password_days = (int)conf_num(kf, "screen", "password_days", 7,
	    cause);
	v = conf_str(kf, "report", "html", NULL);
	c->report_html = conf_path(c, v);
	g_free(v);
	c->stale_days = (int)conf_num(kf, "report", "stale_days", 5, cause);
	if (*cause == NULL && c->spf && c->spf_host == NULL &&
	    c->spf_hops == 0)
		*cause = g_strdup("[screen] spf = yes needs receiving_host "
		    "(the host name in our Received headers) or trusted_hops");
	v = conf_str(kf, "certification", "validity_from", "certification");
	if (strcmp(v, "disclosure") == 0)
		c->validity_from_disclosure = 1;
	else if (strcmp(v, "certification") != 0 && *cause == NULL)
		*cause = g_strdup_printf("[certification] validity_from: "
		    "\"%s\" is not certification or disclosure", v);
	g_free(v);

	if (*cause == NULL && (strchr(c->address, '@') == NULL ||
	    strpbrk(c->address, " \t\r\n<>\"") != NULL))
		*cause = g_strdup_printf("[secretariat] address: \"%s\" is "
		    "not an address", c->address);
	if (*cause == NULL && strpbrk(c->tag, " \t\r\n[]") != NULL)
		*cause = g_strdup_printf("[secretariat] tag: \"%s\" may not "
		    "hold blanks or brackets", c->tag);
	if (*cause != NULL) {
		v = g_strdup_printf("%s: %s", file, *cause);
		g_free(*cause);
		*cause = v;
		conf_free(c);
		g_key_file_free(kf);
		return NULL;
	}
	conf_check_keys(kf, file);
	g_key_file_free(kf);
	return c;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	g_free(c->file);
	g_free(c->dir);
	g_free(c->address);
	g_free(c->name);
	g_free(c->tag);
	g_free(c->timezone);
	g_free(c->signature);
	g_free(c->source_url);
	g_free(c->source_credentials);
	g_free(c->source_after);
	g_free(c->transport_url);
	g_free(c->transport_credentials);
	g_free(c->envelope_from);
	g_free(c->tls_ca_file);
	g_free(c->store);
	g_free(c->templates);
	g_free(c->rules);
	g_free(c->bank);
	g_free(c->issuer);
	g_free(c->invoice_number);
	g_free(c->spf_host);
	g_free(c->spf_zone);
	g_free(c->report_html);
	g_free(c);
}
