/* charset-eval.c: measures charset_guess (nintei's evidence scorer)
 * against libuchardet on undeclared Japanese text: every case below in
 * CP932, EUC-JP, ISO-2022-JP and UTF-8 (made with iconv), counted right
 * when the charset named reads the text back exactly.  Not built by make:
 * libuchardet is not a dependency (README, "Header decoding").
 *
 *   apt-get install libuchardet-dev && make
 *   cc -std=gnu11 -Isrc $(pkg-config --cflags glib-2.0) \
 *       contrib/charset-eval.c build/libnintei.a \
 *       $(pkg-config --libs glib-2.0 uchardet) -o build/charset-eval
 *   build/charset-eval [-v]
 */

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <uchardet/uchardet.h>

#include "charset.h"

/* Subjects, names and a body line as they come in Japanese mail. */
static const char *eval_texts[] = {
	"テスト", "テストテスト", "テストメール", "申請書の提出について",
	"表申能ソ", "ポ培", "表示", "申請", "能力", "ソフト", "ﾃｽﾄ",
	"ﾃｽﾄﾒｰﾙ", "ｱﾝｹｰﾄ", "①②③", "㈱サンプル", "髙橋", "ⅰⅱ",
	"株式会社サンプル", "クラウドサービス情報開示認定の申請",
	"Re: 【申請】ASP・SaaS 情報開示認定", "日本語", "はい",
	"お世話になっております。株式会社サンプルの山田です。"
	"申請書を添付いたします。よろしくお願いいたします。",
	"Fwd: 見積書", "件名", "御中", "〒100-0001 東京都千代田区", NULL
};

static const char *eval_charsets[] = {
	"CP932", "EUC-JP", "ISO-2022-JP", "UTF-8", NULL
};

/* Does the guessed charset, through iconv alone, read bytes back as
 * text? */
static int
eval_reads(const char *bytes, gsize len, const char *guess, const char *text)
{
	char	*got;
	int	 ok;

	if (guess == NULL || *guess == '\0')
		return 0;
	got = g_convert(bytes, (gssize)len, "UTF-8", guess, NULL, NULL, NULL);
	ok = got != NULL && strcmp(got, text) == 0;
	g_free(got);
	return ok;
}

int
main(int argc, char **argv)
{
	const char	*mine, *theirs;
	char		*bytes;
	gsize		 len;
	uchardet_t	 ud;
	int		 verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	int		 n = 0, okm = 0, oku = 0, m, u;
	size_t		 c, t;

	for (c = 0; eval_charsets[c] != NULL; c++) {
		for (t = 0; eval_texts[t] != NULL; t++) {
			bytes = g_convert(eval_texts[t], -1, eval_charsets[c],
			    "UTF-8", NULL, &len, NULL);
			if (bytes == NULL)	/* not in that charset */
				continue;
			n++;
			mine = charset_guess(bytes, len);
			ud = uchardet_new();
			uchardet_handle_data(ud, bytes, len);
			uchardet_data_end(ud);
			theirs = uchardet_get_charset(ud);
			m = eval_reads(bytes, len, mine, eval_texts[t]);
			u = eval_reads(bytes, len, theirs, eval_texts[t]);
			okm += m;
			oku += u;
			if (verbose || !m || !u)
				printf("%-12s %-8s nintei %-12s %s  uchardet "
				    "%-14s %s\n", eval_charsets[c],
				    eval_texts[t], mine != NULL ? mine : "-",
				    m ? "ok" : "WRONG", *theirs != '\0' ?
				    theirs : "-", u ? "ok" : "WRONG");
			uchardet_delete(ud);
			g_free(bytes);
		}
	}
	printf("%d cases: nintei's scorer %d right, libuchardet %d right\n",
	    n, okm, oku);
	return 0;
}
