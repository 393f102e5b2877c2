/* test_htmltext.c: HTML mail bodies as the text a person reads: blocks
 * and line breaks, entities, no script, style or head, pre kept, links
 * with their address, tag soup and deep nesting survived. */

#include <string.h>

#include "testutil.h"
#include "htmltext.h"

static void
expect(const char *html, const char *want)
{
	char	*got = htmltext_render(html, strlen(html));

	if (strcmp(got, want) != 0)
		fail_msg("\"%s\" became\n\"%s\", not\n\"%s\"", html, got, want);
	g_free(got);
}

static void
test_render(void **state)
{
	(void)state;
	expect("<p>お世話に  なっております。</p><p>よろしく\nお願いします</p>",
	    "お世話に なっております。\nよろしく お願いします");
	expect("<html><head><title>件名</title><style>p{color:red}</style>"
	    "</head><body>本文<script>alert('x')</script></body></html>",
	    "本文");
	expect("A&amp;B &lt;tag&gt; &#x3042;&nbsp;", "A&B <tag> あ");
	expect("一行目<br>二行目<br><br><br><br>三行目",
	    "一行目\n二行目\n\n三行目");
	expect("<ul><li>申請書</li><li>情報開示書</ul>", "申請書\n情報開示書");
	expect("<pre>項番  3-4\n  連結</pre>", "項番  3-4\n  連結");
	expect("<a href=\"https://example.jp/\">こちら</a>",
	    "こちら <https://example.jp/>");
	expect("<a href=\"javascript:x()\">ここ</a>", "ここ");
	expect("<div><p>閉じていない<div>タグ<b>太字", "閉じていない\nタグ太字");
	expect("", "");
}

/* Thousands of nested elements and broken UTF-8: a bounded walk, text
 * that is UTF-8. */
static void
test_hostile(void **state)
{
	GString	*s = g_string_new(NULL);
	char	*got;
	int	 i;

	(void)state;
	for (i = 0; i < 5000; i++)
		g_string_append(s, "<div>");
	g_string_append(s, "深い");
	got = htmltext_render(s->str, s->len);
	assert_true(g_utf8_validate(got, -1, NULL));
	g_free(got);
	got = htmltext_render("<p>\xff\xfe壊れた</p>", strlen("<p>\xff\xfe壊れた</p>"));
	assert_true(g_utf8_validate(got, -1, NULL));
	tu_contains(got, "壊れた");
	g_free(got);
	g_string_free(s, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
