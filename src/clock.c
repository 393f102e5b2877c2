/* clock.c: what time it is for the secretariat (its time zone, or the
 * NINTEI_NOW override that tests and staff use), and how dates are
 * written in letters. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "nintei.h"

/* The secretariat's time zone; Japan's offset if the zone is unknown. */
static GTimeZone *
clock_zone(const struct conf *c)
{
	GTimeZone	*tz = NULL;

	if (c != NULL && c->timezone != NULL)
		tz = g_time_zone_new_identifier(c->timezone);
	if (tz == NULL)
		tz = g_time_zone_new_offset(9 * 3600);
	return tz;
}

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (local) or a full ISO 8601
 * time with a zone.  Returns NULL if s is none of those.
 */
GDateTime *
clock_parse(const struct conf *c, const char *s)
{
	GTimeZone	*tz = clock_zone(c);
	GDateTime	*dt = NULL, *local;
	int		 y, mo, d, h = 0, mi = 0, sec = 0;
	char		 tail;

	if (s == NULL)
		goto out;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3 &&
	    strlen(s) == 10)
		dt = g_date_time_new(tz, y, mo, d, 0, 0, 0);
	else if (strlen(s) <= 19 && (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d",
	    &y, &mo, &d, &h, &mi, &sec) == 6 || sscanf(s,
	    "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5))
		dt = g_date_time_new(tz, y, mo, d, h, mi, sec);
	else
		dt = g_date_time_new_from_iso8601(s, tz);
	if (dt != NULL) {
		local = g_date_time_to_timezone(dt, tz);
		g_date_time_unref(dt);
		dt = local;
	}
out:
	g_time_zone_unref(tz);
	return dt;
}

/* Set by --date and --today: the day the staff act on. */
static GDateTime	*clock_override;

/*
 * Makes "now" the given day (YYYY-MM-DD) at the present time of day, so
 * that events keep their order.  Returns -1 if date is not a date.
 */
int
clock_set_date(const struct conf *c, const char *date)
{
	GDateTime	*now, *day;
	int		 y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    strlen(date) != 10 || !g_date_valid_dmy(d, m, y))
		return -1;
	now = clock_now(c);
	day = g_date_time_new(g_date_time_get_timezone(now), y, m, d,
	    g_date_time_get_hour(now), g_date_time_get_minute(now),
	    g_date_time_get_seconds(now));
	g_date_time_unref(now);
	if (day == NULL)
		return -1;
	if (clock_override != NULL)
		g_date_time_unref(clock_override);
	clock_override = day;
	return 0;
}

/* Today's date, "YYYY-MM-DD", in the secretariat's zone. */
char *
clock_today(const struct conf *c)
{
	GDateTime	*now = clock_now(c);
	char		*s = g_date_time_format(now, "%Y-%m-%d");

	g_date_time_unref(now);
	return s;
}

GDateTime *
clock_now(const struct conf *c)
{
	const char	*env = getenv("NINTEI_NOW");
	GTimeZone	*tz;
	GDateTime	*now;

	if (clock_override != NULL)
		return g_date_time_ref(clock_override);
	if (env != NULL && *env != '\0' &&
	    (now = clock_parse(c, env)) != NULL)
		return now;
	tz = clock_zone(c);
	now = g_date_time_new_now(tz);
	g_time_zone_unref(tz);
	return now;
}

/* The stored form of a time: UTC, "2026-11-25T01:15:00Z". */
char *
clock_iso(GDateTime *dt)
{
	GDateTime	*utc = g_date_time_to_utc(dt);
	char		*s = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");

	g_date_time_unref(utc);
	return s;
}

char *
clock_now_iso(const struct conf *c)
{
	GDateTime	*now = clock_now(c);
	char		*s = clock_iso(now);

	g_date_time_unref(now);
	return s;
}

/* 2026年12月1日 */
char *
clock_japanese_date(GDateTime *dt)
{
	return g_strdup_printf("%d年%d月%d日", g_date_time_get_year(dt),
	    g_date_time_get_month(dt), g_date_time_get_day_of_month(dt));
}

/* "2026年12月1日" from "2026-12-01" (or the text itself if no date). */
char *
clock_japanese_day(const char *ymd)
{
	int	y, m, d;

	if (ymd == NULL || sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return g_strdup(ymd != NULL ? ymd : "");
	return g_strdup_printf("%d年%d月%d日", y, m, d);
}

/* 2026年11月25日 10:15 */
char *
clock_japanese_datetime(GDateTime *dt)
{
	return g_strdup_printf("%d年%d月%d日 %02d:%02d",
	    g_date_time_get_year(dt), g_date_time_get_month(dt),
	    g_date_time_get_day_of_month(dt), g_date_time_get_hour(dt),
	    g_date_time_get_minute(dt));
}

/* Whole calendar days, in the secretariat's zone, from the stored time
 * iso to now. */
int
clock_days_between(const struct conf *c, const char *iso, GDateTime *now)
{
	GDateTime	*then, *a, *b;
	GTimeZone	*tz;
	int		 days;

	if ((then = clock_parse(c, iso)) == NULL)
		return 0;
	tz = clock_zone(c);
	a = g_date_time_new(tz, g_date_time_get_year(then),
	    g_date_time_get_month(then), g_date_time_get_day_of_month(then),
	    0, 0, 0);
	b = g_date_time_new(tz, g_date_time_get_year(now),
	    g_date_time_get_month(now), g_date_time_get_day_of_month(now),
	    0, 0, 0);
	days = (int)(g_date_time_difference(b, a) / G_TIME_SPAN_DAY);
	g_date_time_unref(a);
	g_date_time_unref(b);
	g_date_time_unref(then);
	g_time_zone_unref(tz);
	return days;
}
