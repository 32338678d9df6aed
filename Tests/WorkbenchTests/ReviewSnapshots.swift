// Generated from the renders themselves, then read and checked by eye; regenerate with
// RECJUDGE_WRITE_SNAPSHOTS=DIR swift test --filter ReviewAnnotatorTests/snapshots, and review the diff.
enum ReviewSnapshots {
    static let screens: [String: String] = [
        "label-review-list@80x24": #"""
 recjudge label │ u1029-tag-02                    review: conflicts · relevance
── user u1029 · age 30 · female · 杭州
interests 亲子育儿 · 时尚穿搭
2025-06-22 click 亲子装夏季母女装 [服饰]
2025-06-21 buy   防晒冰袖女开车 [服饰]
2025-06-20 click 小白鞋女百搭透气 [服饰]
2025-06-19 srch  儿童防晒衣
2025-06-18 buy   婴儿遮阳帽 [母婴]
2025-06-15 fav   宝宝凉鞋 软底 [母婴]
  8 behaviours · 2 older below (J)
── output u1029-tag-02
tag       宝宝辅食机蒸煮搅拌一体
interest  亲子育儿
reason    近期搜索辅食食谱并收藏婴儿餐椅
── dimension   judge · rules                      you · lena
  relevance    ✓ yes · relevant                   ≠ ✗ weak_relevance · weakly r…
▶ consistency  ✗ low_consistency · inconsistent   —  1 yes · 2 low_consistency
    ? Is the tag consistent with the user's profile and history?
    rules: tag.purchased: 婴儿遮阳帽 was bought on 2025-06-18, in the last 30
    days
  specificity  ✓ yes · specific                   —
  validity     ✓ yes · valid                      —
1 2 label  q back to review  a accept  A all+next  n/p next/prev
 wbtest · tag · lena │ 1/2 ░░░░░░░░░░ 0 done │ rules 6201e629 │ 1 saved ✓
"""#,
        "review-annotators@160x48": #"""
 recjudge review │ agreement                                                                                                                   unanimous settle
                                      ── humans ──               ── judge rules 6201e629 ──
dimension                   n     pass     %agr      κ/α      AC1      ACC        P        R       F1        κ     open
▶ relevance                 4    0.50     0.50!    0.20!    0.35!    0.67!    0.50!    1.00     0.67!    0.40         2
    alice                   4             0.75     0.50              0.75                                0.33!      12s
    bob                     3             1.00         —             0.33!                              -0.20!       3m
    lena                    1                 —        —                 —                                   —        —
  consistency               4    0.50     0.50!    0.20!    0.35!    0.67!    0.50!    1.00     0.67!    0.40         0
  specificity               4    0.50     0.50!    0.20!    0.35!    0.67!    0.50!    1.00     0.67!    0.40         0
  validity                  4    0.50     0.50!    0.20!    0.35!    0.67!    0.50!    1.00     0.67!    0.40         0
  all pass                  4        —        —        —        —        —        —        —        —        —        2
  κ/α: Cohen's κ of the two annotators · open: conflicts not yet adjudicated · ! weak
  per annotator: %agr κ vs others' consensus · ACC κ vs judge · median s/item

── judge per version · relevance κ ▃▄ (w switches)
  0a1b2c3d  rules           κ ██████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  0.30  ACC ████████████████████████████░░░░░░░░░░░░░░░░░░░░  0.60  n=3
▶ 6201e629  rules           κ ███████████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  0.40  ACC ████████████████████████████████░░░░░░░░░░░░░░░░  0.67 ▲  n=3





























j/k row  enter heat map  c conflicts  v judge version  w chart  r reload  ? help  q quit
 wbtest · tag · lead lena │ rules 6201e629 │ 2 open conflicts │ up to date
"""#,
        "review-annotators@80x24": #"""
 recjudge review │ agreement                                   unanimous settle
                         ── humans ──      ── judge rules 6201e629 ──
dimension         n  pass  %agr   κ/α   AC1   ACC     P     R    F1     κ  open
▶ relevance       4 0.50  0.50! 0.20! 0.35! 0.67! 0.50! 1.00  0.67! 0.40      2
    alice         4       0.75  0.50        0.75                    0.33!   12s
    bob           3       1.00      —       0.33!                  -0.20!    3m
    lena          1           —     —           —                       —     —
  consistency     4 0.50  0.50! 0.20! 0.35! 0.67! 0.50! 1.00  0.67! 0.40      0
  specificity     4 0.50  0.50! 0.20! 0.35! 0.67! 0.50! 1.00  0.67! 0.40      0
  validity        4 0.50  0.50! 0.20! 0.35! 0.67! 0.50! 1.00  0.67! 0.40      0
  all pass        4     —     —     —     —     —     —     —     —     —     2
  κ/α: Cohen's κ of the two annotators · open: conflicts not yet adjudicated · …
  per annotator: %agr κ vs others' consensus · ACC κ vs judge · median s/item

── judge per version · relevance κ ▃▄ (w switches)
  0a1b2c3d  rules     κ ███░░░░░░░░  0.30  ACC ██████░░░░░  0.60  n=3
▶ 6201e629  rules     κ ████░░░░░░░  0.40  ACC ███████░░░░  0.67 ▲  n=3





j/k row  enter heat map  c conflicts  v judge version  w chart  r reload
 wbtest · tag · lead lena │ rules 6201e629 │ 2 open conflicts │ up to date
"""#,
    ]
}
