// Generated from the renders themselves, then read and checked by eye; regenerate with
// RECJUDGE_WRITE_SNAPSHOTS=DIR swift test --filter RenderTests/snapshots, and review the diff.
enum Snapshots {
    static let screens: [String: String] = [
        "blind@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3                                                                                                         BLIND
── user u1029 · age 30 · female · 杭州                          │ ── output u1029-tag-01
interests 亲子育儿 · 时尚穿搭                                   │ tag       儿童防紫外线冰丝防晒衣
2025-06-22 click 亲子装夏季母女装 [服饰]                        │ interest  亲子育儿
2025-06-21 buy   防晒冰袖女开车 [服饰]                          │ reason    近期购买遮阳帽并搜索防晒衣
2025-06-20 click 小白鞋女百搭透气 [服饰]                        │
2025-06-19 srch  儿童防晒衣                                     │ ── dimension   judge · rules                              you · alice
2025-06-18 buy   婴儿遮阳帽 [母婴]                              │   relevance    hidden until you answer                    ✓ yes · relevant
2025-06-15 fav   宝宝凉鞋 软底 [母婴]                           │ ▶ consistency  hidden until you answer                    —  1 yes · 2 low_consistency
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]                         │   specificity  hidden until you answer                    —
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]                     │   validity     hidden until you answer                    —
                                                                │
                                                                │ ── guideline · consistency
                                                                │ Is the tag consistent with the user's profile and history?
                                                                │
                                                                │ Labels
                                                                │   1  ✓ yes — consistent  (passes)
                                                                │   2  ✗ low_consistency — inconsistent  (fails)
                                                                │
                                                                │ Guideline
                                                                │   Check the tag against who the user is and what they did: gender, age, city and season when
                                                                │   they matter, price level, and items already bought. A tag for an item the user bought in the
                                                                │   last month is inconsistent (they have it); so is a winter coat for a user in a tropical city
                                                                │   in summer.
                                                                │
                                                                │ Examples
                                                                │   ✓ yes
                                                                │     tag: 轻量缓震跑步鞋 · interest: 马拉松训练 · reason: 搜索半马训练计划，收藏跑鞋未购买
                                                                │     Fits a runner who looked at shoes but has not bought them.
                                                                │   ✗ low_consistency
                                                                │     tag: 轻量缓震跑步鞋 · interest: 马拉松训练 · reason: 用户近期浏览跑鞋
                                                                │     The user bought running shoes two weeks ago.
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
1 2 label  a accept  A all+next  n/p next/prev  space unfinished  u undo  c comment  / search  f filter  z zoom  ? help  q quit
 demo · tag · alice │ 1/3 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ 1 saved ✓
"""#,
        "browse@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
── user u1029 · age 30 · female · 杭州                          │ ── output u1029-tag-01
interests 亲子育儿 · 时尚穿搭                                   │ tag       儿童防紫外线冰丝防晒衣
2025-06-22 click 亲子装夏季母女装 [服饰]                        │ interest  亲子育儿
2025-06-21 buy   防晒冰袖女开车 [服饰]                          │ reason    近期购买遮阳帽并搜索防晒衣
2025-06-20 click 小白鞋女百搭透气 [服饰]                        │
2025-06-19 srch  儿童防晒衣                                     │ ── dimension   judge · rules                              you · alice
2025-06-18 buy   婴儿遮阳帽 [母婴]                              │   relevance    ✓ yes · relevant                           ✓ yes · relevant
2025-06-15 fav   宝宝凉鞋 软底 [母婴]                           │     rules: the tag's interest 亲子育儿 is one of the user's interests
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]                         │   consistency  ✗ low_consistency · inconsistent           ≠ ✓ yes · consistent
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]                     │     rules: tag.purchased: 婴儿遮阳帽 was bought on 2025-06-18, in the last 30 days
                                                                │ ▶ specificity  ✓ yes · specific                           —  1 yes · 2 low_specificity
                                                                │     rules: no rule for specificity found a problem
                                                                │   validity     ✓ yes · valid                              —
                                                                │     rules: no rule for validity found a problem
                                                                │
                                                                │ ── guideline · specificity
                                                                │ Is the tag specific ("modifier + core word"), not a broad category?
                                                                │
                                                                │ Labels
                                                                │   1  ✓ yes — specific  (passes)
                                                                │   2  ✗ low_specificity — too broad  (fails)
                                                                │
                                                                │ Guideline
                                                                │   A good tag narrows retrieval: a core product word plus one or more modifiers (material,
                                                                │   audience, use, style). A bare category ("衣服", "好物", "products", "运动用品") retrieves
                                                                │   everything and nothing.
                                                                │
                                                                │ Examples
                                                                │   ✓ yes
                                                                │     tag: waterproof trail running shoes · interest: trail running
                                                                │     Core word (shoes) with use and feature modifiers.
                                                                │   ✗ low_specificity
                                                                │     tag: 好物推荐 · interest: 居家生活
                                                                │     Names no product at all.
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
1 2 label  a accept  A all+next  n/p next/prev  space unfinished  u undo  c comment  / search  f filter  z zoom  ? help  q quit
 demo · tag · alice │ 1/3 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ 2 saved ✓
"""#,
        "comment@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
── user u1029 · age 30 · female · 杭州                          │ ── output u1029-tag-01
interests 亲子育儿 · 时尚穿搭                                   │ tag       儿童防紫外线冰丝防晒衣
2025-06-22 click 亲子装夏季母女装 [服饰]                        │ interest  亲子育儿
2025-06-21 buy   防晒冰袖女开车 [服饰]                          │ reason    近期购买遮阳帽并搜索防晒衣
2025-06-20 click 小白鞋女百搭透气 [服饰]                        │
2025-06-19 srch  儿童防晒衣                                     │ ── dimension   judge · rules                              you · alice
2025-06-18 buy   婴儿遮阳帽 [母婴]                              │ ▶ relevance    ✓ yes · relevant                           —  1 yes · 2 weak_relevance
2025-06-15 fav   宝宝凉鞋 软底 [母婴]                           │     rules: the tag's interest 亲子育儿 is one of the user's interests
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]                         │   consistency  ✗ low_consistency · inconsistent           —
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]                     │     rules: tag.purchased: 婴儿遮阳帽 was bought on 2025-06-18, in the last 30 days
                                                                │   specificity  ✓ yes · specific                           —
                                                                │     rules: no rule for specificity found a problem
                                                                │   validity     ✓ yes · valid                              —
                                                                │     rules: no rule for validity found a problem
                                                                │
                                                                │ ── guideline · relevance
                                                                │ Does the tag serve the interest it was generated for?
                                                                │
                                                                │ Labels
                                                                │   1  ✓ yes — relevant  (passes)
                                                                │   2  ✗ weak_relevance — weakly relevant  (fails)
                                                                │
                                                                │ Guideline
                                                                │   The tag should be something a person with this interest would plausibly look for. "儿童防晒
                                                                │   衣" serves 亲子育儿; "机械键盘" does not, even if the user once clicked one. If the tag's
                                                                │   interest is not one of the user's interests, it is weakly relevant.
                                                                │
                                                                │ Examples
                                                                │   ✓ yes
                                                                │     tag: 儿童防紫外线冰丝防晒衣 · interest: 亲子育儿 · reason: 近期购买遮阳帽并搜索防晒衣
                                                                │     Directly serves the parenting interest.
                                                                │   ✗ weak_relevance
                                                                │     tag: 办公室午睡枕 · interest: 亲子育儿 · reason: 用户是上班族
                                                                │     A real product, but not for this interest.
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
comment on relevance> 理由太笼统，需要具体的修饰词
 demo · tag · alice │ 1/3 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ up to date
"""#,
        "empty@160x48": #"""
 recjudge label

  nothing to show: the queue is empty











































 no work for you in tag: every sample is assigned, or the task has none
 demo · tag · alice │ 0/0 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ up to date
"""#,
        "failed@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
── user u1029 · age 30 · female · 杭州                          │ ── output u1029-tag-01
interests 亲子育儿 · 时尚穿搭                                   │ tag       衣服
2025-06-22 click 亲子装夏季母女装 [服饰]                        │ interest  亲子育儿
2025-06-21 buy   防晒冰袖女开车 [服饰]                          │ reason
2025-06-20 click 小白鞋女百搭透气 [服饰]                        │
2025-06-19 srch  儿童防晒衣                                     │ ── dimension   judge · rules                              you · alice
2025-06-18 buy   婴儿遮阳帽 [母婴]                              │   relevance    ✓ yes · relevant                           ✓ yes · relevant
2025-06-15 fav   宝宝凉鞋 软底 [母婴]                           │     rules: the tag's interest 亲子育儿 is one of the user's interests
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]                         │   consistency  ✗ low_consistency · inconsistent           ✗ low_consistency · inconsistent
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]                     │     rules: tag.purchased: 婴儿遮阳帽 was bought on 2025-06-18, in the last 30 days
                                                                │ ▶ specificity  ✗ failed                                   —  1 yes · 2 low_specificity
                                                                │     failed: the reply was not JSON: 好的，我来评估
                                                                │   validity     ✓ yes · valid                              ✓ yes · valid
                                                                │     rules: no rule for validity found a problem
                                                                │
                                                                │ ── guideline · specificity
                                                                │ Is the tag specific ("modifier + core word"), not a broad category?
                                                                │
                                                                │ Labels
                                                                │   1  ✓ yes — specific  (passes)
                                                                │   2  ✗ low_specificity — too broad  (fails)
                                                                │
                                                                │ Guideline
                                                                │   A good tag narrows retrieval: a core product word plus one or more modifiers (material,
                                                                │   audience, use, style). A bare category ("衣服", "好物", "products", "运动用品") retrieves
                                                                │   everything and nothing.
                                                                │
                                                                │ Examples
                                                                │   ✓ yes
                                                                │     tag: waterproof trail running shoes · interest: trail running
                                                                │     Core word (shoes) with use and feature modifiers.
                                                                │   ✗ low_specificity
                                                                │     tag: 好物推荐 · interest: 居家生活
                                                                │     Names no product at all.
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
                                                                │
 no usable verdict on specificity: choose a label yourself
 demo · tag · alice │ 1/1 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ 1 saved ✓
"""#,
        "filter@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3                                                                                            filter: unlabelled

 Filter your queue   3 of 3 claimed samples match

   u  [x] unlabelled — not yet answered by you
   x  [ ] judge failed — the judge gave no usable label
   d  [ ] you ≠ judge — your label differs from the judge's
   1–4  dimension: any — the conditions look at this one only
        1 relevance
        2 consistency
        3 specificity
        4 validity
   l  label: any — yours or the judge's
   a  clear every condition
   esc  close































u x d 1-9 l toggle  a clear  esc close
 demo · tag · alice │ 1/3 of 3 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ up to date
"""#,
        "guideline@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
 tag · specificity   rubric v1
 Is the tag specific ("modifier + core word"), not a broad category?

 Labels
   1  ✓ yes — specific  (passes)
   2  ✗ low_specificity — too broad  (fails)

 Guideline
   A good tag narrows retrieval: a core product word plus one or more modifiers (material, audience, use, style). A bare category ("衣服", "好物", "products",
   "运动用品") retrieves everything and nothing.

 Examples
   ✓ yes
     tag: waterproof trail running shoes · interest: trail running
     Core word (shoes) with use and feature modifiers.
   ✗ low_specificity
     tag: 好物推荐 · interest: 居家生活
     Names no product at all.



























esc close  j/k line  J/K page
 demo · tag · alice │ 1/3 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ up to date
"""#,
        "help@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
 tag · relevance   rubric v1
 Does the tag serve the interest it was generated for?

 Labels
   1  ✓ yes — relevant  (passes)
   2  ✗ weak_relevance — weakly relevant  (fails)

 Guideline
   The tag should be something a person with this interest would plausibly look for. "儿童防晒衣" serves 亲子育儿; "机械键盘" does not, even if the user once
   clicked one. If the tag's interest is not one of the user's interests, it is weakly relevant.

 Examples
   ✓ yes
     tag: 儿童防紫外线冰丝防晒衣 · interest: 亲子育儿 · reason: 近期购买遮阳帽并搜索防晒衣
     Directly serves the parenting interest.
   ✗ weak_relevance
     tag: 办公室午睡枕 · interest: 亲子育儿 · reason: 用户是上班族
     A real product, but not for this interest.

 Keys
   a                     accept          accept the judge's label on the focused dimension
   A                     accept-all      accept the judge on every unanswered dimension, then the next sample
   u                     undo            undo the last answer (as far back as this session goes)
   r, ctrl-r             redo            redo what was undone
   c                     comment         comment on the sample (on the focused dimension)
   n, right              next            next sample
   p, left               prev            previous sample
   space, .              next-unlabelled next sample you have not finished
   home                  first           first sample of the queue
   end                   last            last sample of the queue
   j, down, tab          focus-down      focus the next dimension
   k, up, backtab        focus-up        focus the previous dimension
   J, pgdn, ctrl-d       scroll-down     scroll the user's behaviours (or a page) down
   K, pgup, ctrl-u       scroll-up       scroll the user's behaviours (or a page) up
   /                     search          search the queue's outputs and contexts
   f                     filter          filter the queue: unlabelled, judge failed, you ≠ judge, dimension, label
   z                     zoom            read the whole sample: output, item, full context, comments
   g                     guideline       the focused dimension's question, labels, guideline and examples
   ?, f1                 help            this help: the guideline, then every key
   ctrl-l                redraw          redraw the screen
   ctrl-z                suspend         suspend to the shell (fg comes back)
   q, ctrl-c             quit            quit (every answer shown as saved is on disk)
   1 2                   label           choose a label on relevance: 1 yes   2 weak_relevance
   ctrl-c                quit            always quits, in every mode
                                                                                                                                                     1–45 of 52
esc close  j/k line  J/K page
 demo · tag · alice │ 1/3 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ up to date
"""#,
        "zoom@160x48": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
 u1029-tag-01  tag · qwen3-14b-sft r3

 Output
   tag         儿童防紫外线冰丝防晒衣
   interest    亲子育儿
   reason      近期购买遮阳帽并搜索防晒衣

 Answers
   relevance   you weak_relevance   judge yes
               rules: the tag's interest 亲子育儿 is one of the user's interests
   consistency you —   judge low_consistency
               rules: tag.purchased: 婴儿遮阳帽 was bought on 2025-06-18, in the last 30 days
   specificity you —   judge yes
               rules: no rule for specificity found a problem
   validity    you —   judge yes
               rules: no rule for validity found a problem

 Your comments
   consistency 只买过帽子

 User
   u1029 · age 30 · female · 杭州
   interests 亲子育儿 · 时尚穿搭
 Behaviours (8, newest first)
 2025-06-22 click 亲子装夏季母女装 [服饰]
 2025-06-21 buy   防晒冰袖女开车 [服饰]
 2025-06-20 click 小白鞋女百搭透气 [服饰]
 2025-06-19 srch  儿童防晒衣
 2025-06-18 buy   婴儿遮阳帽 [母婴]
 2025-06-15 fav   宝宝凉鞋 软底 [母婴]
 2025-06-12 cart  儿童防晒衣 冰丝 [母婴]
 2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]













esc close  j/k line  J/K page
 demo · tag · alice │ 1/3 ░░░░░░░░░░░░░░░░░░░░ 0 done (no more to claim) │ rules 3fa2b1c0 │ 2 saved ✓
"""#,
        "too-small@79x24": #"""










                              terminal too small
                          recjudge label needs 80×24;
                              this one is 79×24.
                        Enlarge it, or press q to quit.










"""#,
        "blind@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3                         BLIND
── user u1029 · age 30 · female · 杭州
interests 亲子育儿 · 时尚穿搭
2025-06-22 click 亲子装夏季母女装 [服饰]
2025-06-21 buy   防晒冰袖女开车 [服饰]
2025-06-20 click 小白鞋女百搭透气 [服饰]
2025-06-19 srch  儿童防晒衣
2025-06-18 buy   婴儿遮阳帽 [母婴]
2025-06-15 fav   宝宝凉鞋 软底 [母婴]
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]

── output u1029-tag-01
tag       儿童防紫外线冰丝防晒衣
interest  亲子育儿
reason    近期购买遮阳帽并搜索防晒衣
── dimension   judge · rules                      you · alice
  relevance    hidden until you answer            ✓ yes · relevant
▶ consistency  hidden until you answer            —  1 yes · 2 low_consistency
    ? Is the tag consistent with the user's profile and history?
  specificity  hidden until you answer            —
  validity     hidden until you answer            —
1 2 label  a accept  A all+next  n/p next/prev  space unfinished  u undo
 demo · tag · alice │ 1/3 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ 1 saved ✓
"""#,
        "browse@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
── user u1029 · age 30 · female · 杭州
interests 亲子育儿 · 时尚穿搭
2025-06-22 click 亲子装夏季母女装 [服饰]
2025-06-21 buy   防晒冰袖女开车 [服饰]
2025-06-20 click 小白鞋女百搭透气 [服饰]
2025-06-19 srch  儿童防晒衣
2025-06-18 buy   婴儿遮阳帽 [母婴]
2025-06-15 fav   宝宝凉鞋 软底 [母婴]
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]
── output u1029-tag-01
tag       儿童防紫外线冰丝防晒衣
interest  亲子育儿
reason    近期购买遮阳帽并搜索防晒衣
── dimension   judge · rules                      you · alice
  relevance    ✓ yes · relevant                   ✓ yes · relevant
  consistency  ✗ low_consistency · inconsistent   ≠ ✓ yes · consistent
▶ specificity  ✓ yes · specific                   —  1 yes · 2 low_specificity
    ? Is the tag specific ("modifier + core word"), not a broad category?
    rules: no rule for specificity found a problem
  validity     ✓ yes · valid                      —
1 2 label  a accept  A all+next  n/p next/prev  space unfinished  u undo
 demo · tag · alice │ 1/3 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ 2 saved ✓
"""#,
        "comment@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
── user u1029 · age 30 · female · 杭州
interests 亲子育儿 · 时尚穿搭
2025-06-22 click 亲子装夏季母女装 [服饰]
2025-06-21 buy   防晒冰袖女开车 [服饰]
2025-06-20 click 小白鞋女百搭透气 [服饰]
2025-06-19 srch  儿童防晒衣
2025-06-18 buy   婴儿遮阳帽 [母婴]
2025-06-15 fav   宝宝凉鞋 软底 [母婴]
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]
── output u1029-tag-01
tag       儿童防紫外线冰丝防晒衣
interest  亲子育儿
reason    近期购买遮阳帽并搜索防晒衣
── dimension   judge · rules                      you · alice
▶ relevance    ✓ yes · relevant                   —  1 yes · 2 weak_relevance
    ? Does the tag serve the interest it was generated for?
    rules: the tag's interest 亲子育儿 is one of the user's interests
  consistency  ✗ low_consistency · inconsistent   —
  specificity  ✓ yes · specific                   —
  validity     ✓ yes · valid                      —
comment on relevance> 理由太笼统，需要具体的修饰词
 demo · tag · alice │ 1/3 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ up to date
"""#,
        "empty@80x24": #"""
 recjudge label

  nothing to show: the queue is empty



















 no work for you in tag: every sample is assigned, or the task has none
 demo · tag · alice │ 0/0 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ up to date
"""#,
        "failed@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
── user u1029 · age 30 · female · 杭州
interests 亲子育儿 · 时尚穿搭
2025-06-22 click 亲子装夏季母女装 [服饰]
2025-06-21 buy   防晒冰袖女开车 [服饰]
2025-06-20 click 小白鞋女百搭透气 [服饰]
2025-06-19 srch  儿童防晒衣
2025-06-18 buy   婴儿遮阳帽 [母婴]
2025-06-15 fav   宝宝凉鞋 软底 [母婴]
2025-06-12 cart  儿童防晒衣 冰丝 [母婴]
2025-06-10 click 婴儿遮阳帽 夏季薄款 [母婴]
── output u1029-tag-01
tag       衣服
interest  亲子育儿
reason
── dimension   judge · rules                      you · alice
  relevance    ✓ yes · relevant                   ✓ yes · relevant
  consistency  ✗ low_consistency · inconsistent   ✗ low_consistency · inconsist…
▶ specificity  ✗ failed                           —  1 yes · 2 low_specificity
    ? Is the tag specific ("modifier + core word"), not a broad category?
    failed: the reply was not JSON: 好的，我来评估
  validity     ✓ yes · valid                      ✓ yes · valid
 no usable verdict on specificity: choose a label yourself
 demo · tag · alice │ 1/1 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ 1 saved ✓
"""#,
        "filter@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3            filter: unlabelled

 Filter your queue   3 of 3 claimed samples match

   u  [x] unlabelled — not yet answered by you
   x  [ ] judge failed — the judge gave no usable label
   d  [ ] you ≠ judge — your label differs from the judge's
   1–4  dimension: any — the conditions look at this one only
        1 relevance
        2 consistency
        3 specificity
        4 validity
   l  label: any — yours or the judge's
   a  clear every condition
   esc  close







u x d 1-9 l toggle  a clear  esc close
 demo · tag · alice │ 1/3 of 3 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ up to date
"""#,
        "guideline@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
 tag · specificity   rubric v1
 Is the tag specific ("modifier + core word"), not a broad category?

 Labels
   1  ✓ yes — specific  (passes)
   2  ✗ low_specificity — too broad  (fails)

 Guideline
   A good tag narrows retrieval: a core product word plus one or more modifiers
   (material, audience, use, style). A bare category ("衣服", "好物",
   "products", "运动用品") retrieves everything and nothing.

 Examples
   ✓ yes
     tag: waterproof trail running shoes · interest: trail running
     Core word (shoes) with use and feature modifiers.
   ✗ low_specificity
     tag: 好物推荐 · interest: 居家生活
     Names no product at all.


esc close  j/k line  J/K page
 demo · tag · alice │ 1/3 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ up to date
"""#,
        "help@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
 tag · relevance   rubric v1
 Does the tag serve the interest it was generated for?

 Labels
   1  ✓ yes — relevant  (passes)
   2  ✗ weak_relevance — weakly relevant  (fails)

 Guideline
   The tag should be something a person with this interest would plausibly look
   for. "儿童防晒衣" serves 亲子育儿; "机械键盘" does not, even if the user
   once clicked one. If the tag's interest is not one of the user's interests,
   it is weakly relevant.

 Examples
   ✓ yes
     tag: 儿童防紫外线冰丝防晒衣 · interest: 亲子育儿 · reason: 近期购买遮阳帽
     并搜索防晒衣
     Directly serves the parenting interest.
   ✗ weak_relevance
     tag: 办公室午睡枕 · interest: 亲子育儿 · reason: 用户是上班族
     A real product, but not for this interest.                      1–21 of 68
esc close  j/k line  J/K page
 demo · tag · alice │ 1/3 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ up to date
"""#,
        "zoom@80x24": #"""
 recjudge label │ u1029-tag-01 │ qwen3-14b-sft r3
 u1029-tag-01  tag · qwen3-14b-sft r3

 Output
   tag         儿童防紫外线冰丝防晒衣
   interest    亲子育儿
   reason      近期购买遮阳帽并搜索防晒衣

 Answers
   relevance   you weak_relevance   judge yes
               rules: the tag's interest 亲子育儿 is one of the user's
               interests
   consistency you —   judge low_consistency
               rules: tag.purchased: 婴儿遮阳帽 was bought on 2025-06-18, in
               the last 30 days
   specificity you —   judge yes
               rules: no rule for specificity found a problem
   validity    you —   judge yes
               rules: no rule for validity found a problem

 Your comments
   consistency 只买过帽子                                            1–21 of 34
esc close  j/k line  J/K page
 demo · tag · alice │ 1/3 ░░░░░░░░░░ 0 done │ rules 3fa2b1c0 │ 2 saved ✓
"""#,
    ]
}
