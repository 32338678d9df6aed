#!/usr/bin/env python3
"""Write the demo session's samples: sessions/demo/samples.jsonl.

Usage (from the repository root):

    python3 scripts/make_demo_samples.py              # write sessions/demo/samples.jsonl
    python3 scripts/make_demo_samples.py --planted    # also list the planted failures

Python 3 standard library only. The output is deterministic: behaviour histories are
drawn with random.Random(SEED), and the same inputs always give byte-identical output.

What it writes (one JSON object per line, UTF-8, no BOM, LF line ends):

* interest and tag samples written by hand in the style of the RecGPT report, for 40
  invented user personas (30 Chinese, 10 English; Taobao-like shopping). Each persona
  has a few "anchor" behaviours that its outputs' reasons refer to, plus 20-60 filler
  behaviours drawn from a per-persona vocabulary of item titles and search queries.
  About a quarter of the outputs are deliberately bad (generic tags, tags for items
  bought in the last month, interests the history does not support, ...) so the judges
  and annotators have something to catch; `--planted` lists them. Which outputs are
  planted failures is NOT written into the samples.
* explanation samples taken verbatim from the XRec Amazon Books test set (real LLM
  output): every 10th row of ../shared/data/xrec_amazon_books/amazon_books_test_first1000.jsonl
  (test_index 0, 10, ..., 990). The XRec explanation is kept exactly as generated,
  including leading spaces. No behaviour is invented for these users.

After writing, the file is read back and validated (fields, types, unique ids, sorted
dates); any problem exits with status 1.
"""

import argparse
import json
import os
import random
import sys
from datetime import date, timedelta

SEED = 20250618
XREC_FILE = "amazon_books_test_first1000.jsonl"
XREC_EVERY = 10
XREC_SOURCE = "XRec test set (HKUDS/XRec @ 79e2cd4c672f), Amazon Books"
BEHAVIOR_TYPES = ("purchase", "cart", "favorite", "click", "search")
TASKS = ("interest", "tag", "explanation")

# Planted-failure kinds and the rubric dimension a judge should fail them on.
FLAWS = {
    # tag task
    "generic": "tag/specificity: a broad category, not 'modifier + core word'",
    "purchased": "tag/consistency: the item was bought in the last 30 days",
    "not_listed": "tag/relevance: the tag's interest is not among the user's interests",
    "invalid": "tag/validity: no such product exists",
    "weak_relevance": "tag/relevance: the tag only loosely fits its interest",
    "duplicate": "tag: the same (or nearly the same) tag already given to this user",
    # both tasks
    "empty_reason": "reason is empty or content-free",
    "long_reason": "reason is an over-long dump of the behaviour history",
    # interest task
    "necessity": "interest/willingness: a routine necessity, not a spontaneous interest",
    "hallucination": "interest/reasonableness: no support in the behaviour history",
    "weak": "interest/reasonableness: weak correlation with the history",
    "stale": "interest/reasonableness (timeliness): based on behaviour months ago, no longer current",
    "thin_reason": "interest/reasonableness: too broad, reason says nothing specific",
}


def P(uid, lang, age, gender, city, end, span, vocab, queries, anchors, interests, iout, tout):
    """One persona. anchors: (days_before_end, type, item, category) or
    (days_before_end, "search", query). iout: (n, interest, stage, reason, flaw).
    tout: (n, tag, interest, reason, flaw). flaw is None for a good output."""
    return dict(uid=uid, lang=lang, profile={"age": age, "gender": gender, "city": city},
                end=end, span=span, vocab=vocab, queries=queries, anchors=anchors,
                interests=interests, iout=iout, tout=tout)


LONG = "{LONG}"  # reason placeholder: replaced by a dump of the user's recent history

PERSONAS = [
    # ---------------------------------------------------------------- Chinese personas
    P("u1029", "zh", 30, "female", "杭州", "2025-06-30", 110,
      {"母婴": ["婴儿纯棉连体衣新生儿哈衣爬服", "宝宝吸盘辅食碗防摔硅胶", "婴儿高铁米粉原味一段",
               "婴儿推车轻便可折叠可坐可躺", "宝宝软胶勺温感变色", "婴儿防胀气奶瓶PPSU宽口径",
               "儿童手口湿巾80抽10包"],
       "服饰": ["法式碎花连衣裙收腰显瘦", "冰丝阔腿裤女夏季垂感", "哺乳文胸无钢圈聚拢", "小白鞋女百搭透气",
               "防晒冰袖女开车"]},
      ["宝宝辅食机", "遛娃推车轻便", "哺乳睡衣夏季薄款", "亲子装母女夏装", "辅食添加顺序"],
      [(80, "purchase", "婴儿高铁米粉原味一段", "母婴"), (60, "search", "宝宝辅食机"),
       (55, "favorite", "辅食研磨碗手动婴儿", "母婴"), (40, "purchase", "纸尿裤L码超薄透气", "母婴"),
       (25, "click", "亲子装母女夏装纯棉T恤", "服饰"), (12, "purchase", "婴儿遮阳帽", "母婴"),
       (11, "search", "儿童防晒衣"), (9, "purchase", "纸尿裤L码超薄透气", "母婴")],
      ["亲子育儿", "时尚穿搭"],
      [(1, "婴幼儿辅食添加", "育儿期（宝宝约6月龄）", "购买高铁米粉、收藏辅食研磨碗并搜索辅食机，正处于辅食添加起步阶段", None),
       (2, "夏季带娃出行防晒", "育儿期", "近两周购买婴儿遮阳帽并搜索儿童防晒衣，夏季带娃外出需求明显", None),
       (3, "纸尿裤", "育儿期", "每月固定购买L码纸尿裤", "necessity")],
      [(7, "儿童防紫外线冰丝防晒衣", "亲子育儿", "近期购买遮阳帽并搜索防晒衣", None),
       (15, "婴儿辅食机蒸煮搅拌一体", "亲子育儿", "搜索宝宝辅食机并收藏辅食研磨碗，辅食添加需求持续", None),
       (31, "衣服", "时尚穿搭", "用户喜欢买衣服", "generic")]),

    P("u1104", "zh", 28, "female", "上海", "2025-05-20", 120,
      {"母婴": ["孕妇托腹裤春夏薄款高腰", "孕妇装连衣裙宽松显瘦", "孕期防溢乳垫一次性"],
       "个护": ["孕妇专用洗发水无硅油", "孕妇可用物理防晒霜", "孕妇护肤品套装补水保湿"],
       "食品": ["孕妇DHA藻油软胶囊", "每日坚果混合装孕妇零食", "孕妇奶粉低脂"]},
      ["孕中期吃什么", "孕妇枕头哪种好", "孕妇可以用的护肤品", "新生儿衣服买多大"],
      [(115, "purchase", "孕妇叶酸片", "母婴"), (70, "purchase", "孕妇DHA藻油软胶囊", "食品"),
       (60, "purchase", "孕妇防妊娠纹橄榄油按摩霜", "母婴"), (22, "search", "孕妇枕头哪种好"),
       (20, "purchase", "孕妇护腰侧睡U型枕", "母婴"), (15, "search", "待产包清单"),
       (10, "search", "婴儿床实木无漆"), (9, "click", "婴儿床实木无漆拼接大床", "家居"),
       (5, "favorite", "新生儿礼盒纯棉衣服套装", "母婴")],
      ["孕期护理", "新生儿用品准备"],
      [(1, "孕期身体护理", "孕中期", "先后购买防妊娠纹油、孕妇枕和DHA，关注孕期身体舒适与营养", None),
       (2, "新生儿用品准备", "孕晚期待产准备", "近半月搜索待产包清单、实木婴儿床并收藏新生儿礼盒，开始为宝宝出生做准备", None),
       (3, "高端腕表收藏", "孕中期", "用户消费能力较强，可能对奢侈品腕表感兴趣", "hallucination")],
      [(3, "产妇入院待产包全套", "新生儿用品准备", "搜索待产包清单，临近孕晚期", None),
       (9, "实木无漆可拼接婴儿床", "新生儿用品准备", "搜索并点击实木无漆婴儿床，尚未购买", None),
       (14, "孕妇护腰侧睡U型枕", "孕期护理", "用户购买过孕妇枕，说明对孕妇枕有需求", "purchased")]),

    P("u1187", "zh", 35, "male", "成都", "2025-07-15", 100,
      {"户外": ["充气睡垫加厚自动充气", "天幕防晒遮阳布银胶", "露营灯复古充电", "户外保温冰桶",
               "便携卡式炉户外", "户外折叠桌蛋卷桌"],
       "儿童": ["儿童登山鞋防滑透气", "儿童户外速干裤", "儿童望远镜高清"]},
      ["露营天幕", "卡式炉套锅", "露营灯", "儿童登山鞋"],
      [(45, "purchase", "自动速开帐篷3-4人防雨", "户外"), (30, "purchase", "户外折叠椅克米特椅", "户外"),
       (22, "click", "儿童登山鞋防滑透气", "儿童"), (14, "search", "儿童睡袋"),
       (13, "click", "儿童睡袋秋冬加厚可拼接", "户外"), (6, "search", "户外驱蚊"),
       (3, "cart", "露营推车折叠营地车", "户外")],
      ["户外露营", "亲子出游"],
      [(1, "家庭精致露营", "露营装备入门期", "近两月先后购买帐篷、折叠椅并加购营地车，装备逐步完善", None),
       (2, "亲子户外", "孩子学龄前后", "搜索并点击儿童睡袋、浏览儿童登山鞋，露营多为带娃出行", None)],
      [(2, "儿童加厚信封式可拼接睡袋", "亲子出游", "搜索并点击儿童睡袋，露营带娃", None),
       (11, "儿童可用户外驱蚊喷雾", "亲子出游", "近期搜索户外驱蚊，夏季带孩子露营", None),
       (18, "好物", "户外露营", "用户喜欢户外", "generic")]),

    P("u1230", "zh", 24, "male", "深圳", "2025-08-10", 90,
      {"数码": ["机械键盘红轴87键热插拔", "电竞鼠标无线轻量化", "头戴式游戏耳机7.1声道", "Switch OLED保护壳",
               "PS5手柄充电座", "艾尔登法环 PS5光盘"],
       "家居": ["电竞椅人体工学", "桌面显示器增高架"]},
      ["机械键盘轴体区别", "PS5 手柄 背键", "电竞椅", "双人成行"],
      [(70, "purchase", "PS5光驱版主机国行", "数码"), (50, "click", "PS5手柄充电座", "数码"),
       (20, "search", "黑神话悟空 PS5"), (18, "click", "黑神话悟空 PS5 实体光盘 豪华版", "数码"),
       (12, "click", "机械键盘红轴87键热插拔", "数码"),
       (5, "purchase", "27英寸2K 165Hz电竞显示器", "数码"), (4, "search", "显示器挂灯")],
      ["主机游戏", "电脑外设"],
      [(1, "主机游戏", "入坑PS5初期", "购入PS5后持续浏览手柄充电座、光盘，并搜索黑神话悟空", None),
       (2, "桌面电竞外设升级", "整理桌搭中", "购买2K高刷显示器、搜索挂灯、浏览机械键盘", None),
       (3, "健身增肌", "备赛期", "用户为年轻男性，可能有健身需求", "hallucination")],
      [(5, "黑神话悟空PS5实体光盘", "主机游戏", "搜索黑神话悟空并点击实体光盘，已有PS5主机", None),
       (8, "非对称光源显示器屏幕挂灯", "电脑外设", "刚买显示器并搜索挂灯", None),
       (13, "高蛋白健身代餐棒", "健身增肌", "年轻男性普遍有健身需求", "not_listed")]),

    P("u1316", "zh", 22, "female", "北京", "2025-04-25", 80,
      {"美妆": ["哑光唇釉平价学生党", "眼影盘大地色十二色", "气垫BB霜遮瑕控油", "卸妆水温和眼唇",
               "睫毛膏纤长不晕染", "腮红膏奶油质地"],
       "护肤": ["烟酰胺精华提亮", "氨基酸洗面奶", "补水保湿面膜20片"]},
      ["早八伪素颜妆", "学生党眼影盘推荐", "卸妆水 敏感肌"],
      [(40, "click", "眼影盘大地色十二色", "美妆"), (38, "click", "哑光唇釉平价学生党", "美妆"),
       (25, "search", "平价粉底液油皮"), (24, "click", "油皮持妆粉底液哑光小样", "美妆"),
       (20, "search", "早八伪素颜妆"), (10, "search", "黄皮显白口红"),
       (9, "favorite", "丝绒雾面口红黄皮显白", "美妆"), (3, "purchase", "散粉定妆控油", "美妆")],
      ["彩妆", "护肤"],
      [(1, "平价彩妆", "大学在读", "多次浏览学生党眼影、唇釉并搜索平价粉底液，偏好性价比彩妆", None),
       (2, "早八快速妆容", "大学在读", "搜索早八伪素颜妆，近期购买定妆散粉，追求省时日常妆", None)],
      [(6, "油皮持妆哑光粉底液", "彩妆", "搜索平价粉底液油皮并点击小样", None),
       (10, "黄皮显白丝绒雾面口红", "彩妆", "搜索黄皮显白口红并收藏", None),
       (17, "Gucci×完美日记联名限定口红", "彩妆", "用户喜欢口红，推荐联名款", "invalid")]),

    P("u1402", "zh", 33, "female", "广州", "2025-09-05", 120,
      {"宠物": ["豆腐猫砂除臭结团", "猫抓板瓦楞纸耐磨", "猫咪冻干零食鸡肉粒", "自动喂食器定时定量",
               "猫咪化毛膏", "猫爬架小户型"],
       "家居": ["真空压缩袋", "桌面收纳架多层"]},
      ["猫砂盆全封闭防臭", "猫咪化毛", "小户型收纳"],
      [(100, "purchase", "全价猫粮成猫冻干双拼", "宠物"), (70, "click", "衣柜收纳盒抽屉式", "家居"),
       (45, "click", "衣柜收纳盒抽屉式", "家居"), (40, "purchase", "全价猫粮成猫冻干双拼", "宠物"),
       (30, "click", "真空压缩袋", "家居"),
       (12, "search", "猫咪软便怎么办"), (11, "search", "益生菌 猫"),
       (7, "search", "猫咪饮水机 静音"), (6, "favorite", "猫咪饮水机无线水泵静音", "宠物")],
      ["宠物猫养护", "家居收纳"],
      [(1, "猫咪肠胃健康", "养猫中（猫咪软便期）", "近两周搜索猫咪软便、猫用益生菌，关注猫咪肠胃调理", None),
       (2, "猫粮", "养猫中", "每隔两个月购买一次猫粮", "necessity"),
       (3, "小户型收纳", "长期居家", "多次浏览抽屉式衣柜收纳盒和真空压缩袋", None)],
      [(3, "猫咪专用益生菌调理肠胃", "宠物猫养护", "搜索猫咪软便和猫用益生菌", None),
       (9, "无线水泵静音猫咪饮水机", "宠物猫养护", "搜索并收藏静音饮水机", None),
       (16, "可叠放透明抽屉式衣柜收纳箱", "家居收纳", "两次浏览抽屉式衣柜收纳盒", None)]),

    P("u1458", "zh", 31, "male", "南京", "2025-06-15", 150,
      {"家装": ["瓷砖客厅岩板背景墙", "马桶智能一体机", "淋浴花洒套装恒温", "乳胶漆环保内墙白色",
               "吸顶灯客厅LED", "强化复合木地板"],
       "智能家居": ["小米智能网关", "人体传感器米家"]},
      ["智能马桶 品牌", "恒温花洒", "乳胶漆 环保"],
      [(140, "search", "装修流程顺序"), (120, "search", "卫生间防水涂料"),
       (90, "purchase", "开关插座面板86型", "家装"), (30, "search", "无主灯设计筒灯"),
       (29, "click", "嵌入式防眩LED筒灯", "家装"), (15, "purchase", "智能门锁指纹密码", "智能家居"),
       (10, "search", "全屋智能 米家"), (8, "click", "小米智能网关", "智能家居")],
      ["全屋装修", "智能家居"],
      [(1, "全屋装修", "装修中（水电后、软装前）", "近五个月依次搜索装修流程、防水涂料、筒灯，并购买开关面板", None),
       (2, "无主灯照明设计", "装修中", "搜索无主灯设计并点击防眩筒灯", None),
       (3, "全屋智能", "装修中", LONG, "long_reason")],
      [(4, "嵌入式深杯防眩LED筒灯", "全屋装修", "搜索无主灯设计并点击防眩筒灯", None),
       (12, "米家智能窗帘电机静音款", "智能家居", "已购智能门锁并搜索全屋智能米家", None),
       (19, "指纹密码智能门锁", "智能家居", "用户对智能门锁感兴趣", "purchased")]),

    P("u1523", "zh", 27, "male", "武汉", "2025-10-12", 120,
      {"运动": ["速干T恤男跑步", "运动腰包跑步手机袋", "压缩小腿套", "跑步短裤男双层", "运动头带吸汗"],
       "数码": ["骨传导运动耳机"],
       "食品": ["电解质冲剂", "乳清蛋白粉"]},
      ["马拉松 能量胶 多久吃一个", "配速 提升", "LSD 长距离"],
      [(100, "purchase", "运动手表GPS心率", "数码"), (60, "search", "全马训练计划"),
       (25, "search", "碳板跑鞋"), (24, "click", "碳板竞速跑鞋全掌碳板", "运动"),
       (20, "purchase", "能量胶马拉松补给", "食品"), (18, "purchase", "轻量缓震跑步鞋男款", "运动"),
       (10, "search", "跑步膝盖疼 护膝")],
      ["马拉松训练", "运动营养"],
      [(1, "全程马拉松备赛", "马拉松训练（赛前1-2月）", "搜索全马训练计划、碳板跑鞋并购买能量胶，处于备赛期", None),
       (2, "跑步伤病防护", "马拉松训练", "近期搜索跑步膝盖疼、护膝", None),
       (3, "户外钓鱼", "退休生活", "用户喜欢户外运动，可能也喜欢钓鱼", "hallucination")],
      [(1, "全掌碳板马拉松竞速跑鞋", "马拉松训练", "搜索碳板跑鞋并点击竞速款", None),
       (6, "髌骨带跑步护膝运动加压", "马拉松训练", "近期搜索跑步膝盖疼", None),
       (14, "轻量缓震跑步鞋", "马拉松训练", "用户近期浏览跑鞋", "purchased")]),

    P("u1577", "zh", 41, "female", "苏州", "2025-05-10", 100,
      {"茶饮": ["福鼎白茶寿眉饼", "武夷岩茶大红袍", "云南普洱熟茶", "茉莉花茶"],
       "茶具": ["公道杯玻璃", "紫砂壶西施壶", "竹制茶盘", "锡制茶叶罐"]},
      ["白茶 老白茶 区别", "紫砂壶 开壶", "茶叶罐 密封"],
      [(60, "click", "公道杯玻璃", "茶具"), (55, "click", "竹制茶盘", "茶具"),
       (40, "search", "2025 明前龙井"), (38, "purchase", "明前西湖龙井2025新茶", "茶饮"),
       (20, "search", "碧螺春 东山 正宗"), (14, "search", "盖碗 不烫手"), (13, "favorite", "汝窑盖碗单个", "茶具")],
      ["中国茶", "茶具"],
      [(1, "春季绿茶尝鲜", "春茶季", "四月初购买明前龙井，随后搜索东山碧螺春", None),
       (2, "品茶器具", "茶艺进阶", "搜索不烫手盖碗、收藏汝窑盖碗，并浏览公道杯与茶盘", None),
       (3, "江南名优绿茶", "春茶季", "龙井之后又找正宗东山碧螺春，偏好江南产区的名优绿茶", None)],
      [(2, "东山洞庭碧螺春明前特级", "中国茶", "搜索东山正宗碧螺春", None),
       (8, "防烫汝窑开片盖碗茶杯", "茶具", "搜索不烫手盖碗并收藏汝窑盖碗", None)]),

    P("u1610", "zh", 21, "male", "西安", "2025-11-20", 150,
      {"图书": ["肖秀荣政治1000题", "考研词汇闪过", "考研专业课笔记"],
       "文具": ["按动中性笔0.5黑色", "错题本活页", "护眼台灯学生宿舍"],
       "宿舍": ["宿舍床帘遮光", "床上小桌板折叠"]},
      ["考研政治 背诵", "宿舍台灯 护眼", "考研 英语 作文 模板"],
      [(140, "purchase", "考研数学复习全书", "图书"), (120, "purchase", "考研英语真题黄皮书", "图书"),
       (30, "search", "考研 冲刺 模拟卷"), (25, "search", "肖四肖八什么时候出"),
       (5, "purchase", "降噪耳塞睡眠", "宿舍")],
      ["考研备考", "宿舍生活"],
      [(1, "考研冲刺", "备考（考前一个月）", "购买数学复习全书、英语真题，近期搜索冲刺模拟卷、肖四肖八", None),
       (2, "学习文具", "备考", "", "empty_reason"),
       (3, "宿舍小电器", "备考", "购买降噪耳塞", "weak")],
      [(3, "考研政治冲刺预测卷肖四", "考研备考", "近期搜索肖四肖八和冲刺模拟卷", None),
       (11, "静音磁吸学习计时器", "考研备考", "冲刺阶段需要按时段刷题", None),
       (20, "宿舍床帘", "宿舍生活", "无", "empty_reason")]),

    P("u1688", "zh", 26, "female", "重庆", "2025-07-30", 90,
      {"健身": ["瑜伽垫加厚防滑", "健身手套防滑", "跳绳计数无绳"],
       "运动服饰": ["鲨鱼裤打底裤女", "速干运动背心"],
       "食品": ["代餐奶昔", "乳清蛋白粉香草味"]},
      ["减脂餐 一周", "高强度运动内衣", "居家 力量训练"],
      [(60, "purchase", "即食鸡胸肉", "食品"), (50, "purchase", "可调节哑铃女士", "健身"),
       (40, "purchase", "0糖魔芋爽", "食品"), (35, "search", "蜜桃臀 训练 弹力带"),
       (34, "purchase", "弹力带阻力带套装", "健身"), (20, "purchase", "即食鸡胸肉", "食品"),
       (10, "search", "体脂秤"), (9, "click", "智能体脂秤蓝牙", "健身"),
       (4, "cart", "高强度防震运动内衣", "运动服饰")],
      ["健身减脂", "运动服饰"],
      [(1, "居家力量训练", "减脂塑形期", "先后购买可调节哑铃、弹力带，并搜索蜜桃臀训练", None),
       (2, "减脂饮食", "减脂塑形期", "多次购买即食鸡胸肉、0糖魔芋爽", None),
       (3, "身体数据管理", "减脂塑形期", "搜索体脂秤并点击蓝牙智能款，想量化减脂效果", None)],
      [(2, "蓝牙智能体脂秤家用精准", "健身减脂", "搜索并点击体脂秤", None),
       (7, "运动用品", "健身减脂", "用户喜欢运动", "generic"),
       (15, "高腰提臀无尴尬线鲨鱼裤", "运动服饰", "加购高强度运动内衣，正在添置训练服", None)]),

    P("u1735", "zh", 38, "male", "厦门", "2025-09-25", 120,
      {"渔具": ["PE线8编", "米诺路亚饵", "鱼护便携", "钓鱼箱多功能"],
       "户外": ["防晒冰丝面罩", "钓鱼速干衣"]},
      ["海钓 路亚 矶钓 区别", "夜钓灯", "路亚 抛投 技巧"],
      [(80, "purchase", "路亚竿套装碳素", "渔具"), (60, "purchase", "纺车轮金属线杯", "渔具"),
       (22, "search", "黑鲷 路亚 饵"), (20, "click", "黑鲷专用软虫铅头钩组合", "渔具"),
       (8, "search", "偏光镜 看漂")],
      ["路亚钓鱼", "户外装备"],
      [(1, "海边路亚钓黑鲷", "路亚进阶", "购入路亚竿、纺车轮后，搜索黑鲷路亚饵并点击软虫铅头钩", None),
       (2, "渔具", "钓鱼中", "用户钓鱼", "thin_reason")],
      [(5, "黑鲷路亚软虫铅头钩套装", "路亚钓鱼", "搜索黑鲷路亚饵并点击软虫组合", None),
       (13, "钓鱼专用偏光太阳镜", "户外装备", "近期搜索偏光镜", None)]),

    P("u1791", "zh", 29, "female", "青岛", "2025-03-01", 90,
      {"烘焙": ["高筋面粉面包粉", "淡味动物黄油", "硅胶刮刀", "烘焙电子秤0.1g", "裱花袋裱花嘴套装",
               "耐高糖酵母"],
       "小家电": ["空气炸锅家用"]},
      ["欧包 配方", "戚风蛋糕 塌陷", "吐司 拉丝"],
      [(70, "purchase", "烤箱家用32L", "小家电"), (50, "purchase", "吐司模具带盖", "烘焙"),
       (45, "search", "吐司 拉丝"), (20, "search", "厨师机 揉面 推荐"), (19, "click", "厨师机家用和面5L", "小家电"),
       (12, "search", "年货 曲奇礼盒包装")],
      ["家庭烘焙", "厨房小家电"],
      [(1, "面包烘焙", "烘焙入门进阶", "购买烤箱、吐司模具后搜索吐司拉丝，开始做面包", None),
       (2, "节日烘焙送礼", "春节前", "春节前搜索年货曲奇礼盒包装", None),
       (3, "厨房小家电", "烘焙进阶", LONG, "long_reason")],
      [(1, "家用静音揉面厨师机5L", "厨房小家电", "搜索厨师机揉面推荐并点击5L款", None),
       (9, "曲奇饼干礼盒包装盒", "家庭烘焙", "春节前搜索年货曲奇礼盒包装", None),
       (16, "烤箱", "厨房小家电", "用户喜欢烘焙", "generic")]),

    P("u1842", "zh", 33, "male", "长沙", "2025-07-20", 100,
      {"宠物": ["狗粮大型犬成犬", "狗狗洁齿骨", "狗窝四季通用可拆洗", "狗狗磨牙玩具"],
       "户外": ["宠物水壶便携", "狗狗雨衣大型犬"]},
      ["狗狗 关节 保健", "金毛 狗粮", "遛狗 水壶"],
      [(30, "search", "金毛 掉毛 严重"), (28, "click", "宠物吸毛器除毛吸尘", "宠物"),
       (15, "search", "狗狗 夏天 降温"), (14, "favorite", "宠物冰垫凉席大型犬", "宠物"),
       (5, "purchase", "狗狗牵引绳防爆冲", "宠物")],
      ["宠物狗养护", "户外遛狗"],
      [(1, "大型犬夏季护理", "盛夏", "搜索金毛掉毛、狗狗降温，收藏大型犬冰垫", None),
       (2, "家居除毛清洁", "换毛季", "搜索金毛掉毛严重并点击宠物吸毛器", None),
       (3, "猫咪用品", "养宠中", "用户养宠物，也可能需要猫咪用品", "hallucination")],
      [(4, "大型犬宠物冰垫凉席", "宠物狗养护", "搜索狗狗夏天降温并收藏冰垫", None),
       (10, "宠物美容吸毛器", "宠物狗养护", "搜索金毛掉毛并点击吸毛器", None),
       (21, "防爆冲牵引绳大型犬", "户外遛狗", "用户经常遛狗", "purchased")]),

    P("u1906", "zh", 52, "female", "天津", "2025-11-30", 120,
      {"保健": ["宁夏特级枸杞", "红枣阿胶糕", "五红汤料", "红豆薏米茶"],
       "舞蹈": ["广场舞服装套装", "广场舞音箱便携", "舞蹈鞋软底女"]},
      ["艾灸盒", "广场舞 音箱", "阿胶糕 正宗"],
      [(60, "click", "广场舞服装套装", "舞蹈"), (50, "click", "广场舞音箱便携", "舞蹈"),
       (40, "search", "冬季 养生 泡脚"), (39, "purchase", "艾草足浴包", "保健"),
       (18, "search", "颈椎 不舒服"), (17, "click", "颈椎按摩仪", "保健"), (9, "search", "广场舞 扇子")],
      ["中式养生", "广场舞"],
      [(1, "冬季温补养生", "入冬", "入冬后搜索养生泡脚并购买艾草足浴包", None),
       (2, "广场舞", "业余爱好（退休前后）", "浏览广场舞服装、音箱，近期搜索广场舞扇子", None),
       (3, "颈椎保健", "入冬", "搜索颈椎不舒服并点击颈椎按摩仪", None)],
      [(3, "恒温加热按摩足浴盆", "中式养生", "购买艾草足浴包并搜索冬季养生泡脚", None),
       (12, "广场舞双面丝绸舞蹈扇", "广场舞", "近期搜索广场舞扇子", None)]),

    P("u1953", "zh", 24, "female", "昆明", "2025-04-05", 90,
      {"汉服": ["宋制褙子套装", "齐胸襦裙夏季", "汉服披风", "云肩"],
       "饰品": ["流苏耳环古风", "汉服发冠"]},
      ["汉服 发型 教程 发包", "宋制 褙子", "汉服 披风"],
      [(35, "search", "织金马面裙"), (33, "purchase", "明制马面裙日常款", "汉服"),
       (15, "search", "马面裙 搭配 上衣"), (10, "search", "三月三 汉服"),
       (9, "favorite", "古风珍珠发簪步摇", "饰品")],
      ["汉服国风", "古风饰品"],
      [(1, "明制汉服日常穿搭", "汉服入坑初期", "购入明制马面裙后搜索马面裙搭配上衣", None),
       (2, "三月三节日出游", "节日前", "三月三前搜索汉服并收藏发簪步摇", None),
       (3, "古风发饰", "汉服入坑初期", "收藏珍珠发簪步摇，正在配齐汉服造型", None)],
      [(2, "明制立领斜襟短袄上衣", "汉服国风", "购入马面裙并搜索搭配上衣", None),
       (6, "古风珍珠流苏发簪", "古风饰品", "收藏发簪步摇", None),
       (10, "新中式改良旗袍连衣裙", "汉服国风", "用户喜欢国风服饰", "weak_relevance")]),

    P("u2011", "zh", 29, "male", "合肥", "2025-08-20", 100,
      {"母婴": ["婴儿背带腰凳", "一段婴儿奶粉", "宝宝牙胶", "婴儿床铃音乐旋转"],
       "数码": ["相机包单肩", "SD卡128G高速"]},
      ["腰凳 多大 用", "宝宝 出牙", "奶粉 一段 推荐"],
      [(80, "purchase", "婴儿爬行垫XPE加厚", "母婴"), (75, "search", "婴儿 几个月 爬"),
       (60, "purchase", "一段婴儿奶粉", "母婴"), (45, "purchase", "微单相机入门", "数码"),
       (30, "search", "拍娃 镜头 推荐"), (29, "click", "50mm 1.8定焦镜头", "数码"),
       (25, "purchase", "一段婴儿奶粉", "母婴"), (6, "search", "相机 防潮箱")],
      ["亲子育儿", "摄影器材"],
      [(1, "家庭拍娃摄影", "新手爸爸", "购入微单后搜索拍娃镜头、相机防潮箱", None),
       (2, "婴儿早期发育", "育儿期（约半岁）", "购买爬行垫、搜索婴儿几个月爬", None),
       (3, "奶粉", "育儿期", "定期购买一段奶粉，宝宝需要", "necessity")],
      [(5, "人像定焦镜头50mm F1.8", "摄影器材", "搜索拍娃镜头并点击50mm定焦", None),
       (11, "相机电子防潮箱小号", "摄影器材", "近期搜索相机防潮箱", None)]),

    P("u2067", "zh", 37, "female", "郑州", "2025-08-28", 90,
      {"儿童": ["儿童护眼台灯", "小学生文具套装", "儿童自行车", "儿童绘本套装"],
       "教育": ["儿童英语点读笔", "十万个为什么 注音版"]},
      ["护脊书包 品牌", "一年级 识字", "儿童 近视 预防"],
      [(30, "search", "一年级 开学 必备"), (28, "click", "小学生书包减负护脊", "儿童"),
       (20, "search", "儿童 跳绳 考试 标准"), (12, "purchase", "小学一年级拼音练习册", "教育"),
       (7, "search", "点读笔 哪个好")],
      ["儿童教育", "儿童运动"],
      [(1, "幼小衔接", "孩子即将上一年级", "搜索一年级开学必备、购买拼音练习册并了解点读笔", None),
       (2, "儿童体测训练", "开学前", "搜索儿童跳绳考试标准", None),
       (3, "奢侈品包", "二胎妈妈", "该年龄段女性常见兴趣", "hallucination")],
      [(1, "小学生减负护脊双肩书包", "儿童教育", "搜索一年级开学必备并点击护脊书包", None),
       (8, "儿童竞速计数钢丝跳绳", "儿童运动", "搜索儿童跳绳考试标准", None),
       (15, "学习用品", "儿童教育", "孩子要上学了", "generic")]),

    P("u2120", "zh", 42, "male", "济南", "2025-09-30", 100,
      {"汽车": ["车载吸尘器无线", "汽车脚垫全包围", "车载充电器快充", "汽车玻璃水", "汽车遮阳挡"],
       "户外": ["后备箱折叠桌椅"]},
      ["行车记录仪", "玻璃水 冬季", "后备箱 收纳"],
      [(60, "purchase", "行车记录仪前后双录", "汽车"), (25, "search", "国庆 自驾 川西 装备"),
       (20, "search", "车载冰箱 压缩机"), (19, "click", "车载冰箱压缩机制冷25L", "汽车"),
       (8, "search", "应急启动电源")],
      ["汽车用品", "自驾游"],
      [(1, "长途自驾游", "国庆出行前", "搜索国庆自驾川西装备、车载冰箱", None),
       (2, "车辆安全应急", "自驾准备", "出行前搜索应急启动电源", None),
       (3, "自驾途中饮食保鲜", "国庆出行前", "搜索并点击压缩机车载冰箱", None)],
      [(3, "压缩机制冷车载冰箱25L", "自驾游", "搜索并点击压缩机车载冰箱", None),
       (9, "汽车应急启动电源12V", "汽车用品", "近期搜索应急启动电源", None),
       (14, "宠物外出推车", "宠物出行", "用户可能养宠", "not_listed")]),

    P("u2184", "zh", 31, "female", "大连", "2025-06-10", 90,
      {"瑜伽": ["瑜伽服套装女", "瑜伽砖", "伸展带"],
       "轻食": ["全麦面包无蔗糖", "希腊酸奶", "低脂沙拉酱", "藜麦"]},
      ["低卡 沙拉 做法", "瑜伽 体式 入门", "轻食 早餐"],
      [(60, "search", "空中瑜伽 吊床"), (40, "search", "普拉提 核心 训练"), (38, "purchase", "普拉提圈", "瑜伽"),
       (30, "purchase", "全麦面包无蔗糖", "轻食"), (18, "search", "瑜伽垫 天然橡胶"),
       (17, "click", "天然橡胶瑜伽垫防滑专业", "瑜伽"), (6, "purchase", "奇亚籽", "轻食")],
      ["瑜伽普拉提", "轻食健康"],
      [(1, "普拉提核心训练", "规律练习中", "搜索普拉提核心训练并购买普拉提圈", None),
       (2, "低卡轻食", "体重管理", "购买无蔗糖全麦面包、奇亚籽", None),
       (3, "空中瑜伽", "入门期", "两个月前搜索过一次空中瑜伽吊床", "weak")],
      [(2, "天然橡胶防滑专业瑜伽垫", "瑜伽普拉提", "搜索天然橡胶瑜伽垫并点击专业款", None),
       (7, "低卡无蔗糖燕麦酸奶碗", "轻食健康", "近期购买奇亚籽、全麦面包，偏好低卡早餐", None)]),

    P("u2239", "zh", 26, "male", "福州", "2025-10-05", 90,
      {"咖啡": ["埃塞俄比亚耶加雪菲咖啡豆", "云南保山小粒咖啡豆", "挂耳咖啡混合装", "冷萃咖啡液"],
       "器具": ["咖啡电子秤计时", "锥形滤纸100张"]},
      ["手冲 粉水比", "意式 咖啡机 家用", "挂耳 咖啡 推荐"],
      [(80, "purchase", "挂耳咖啡混合装", "咖啡"), (50, "purchase", "V60滤杯陶瓷", "器具"),
       (45, "purchase", "手冲壶细口温控", "器具"), (40, "purchase", "挂耳咖啡混合装", "咖啡"),
       (15, "search", "磨豆机 推荐 入门"), (14, "click", "电动磨豆机锥刀家用", "器具"),
       (5, "search", "浅烘 豆子")],
      ["精品咖啡", "手冲器具"],
      [(1, "家庭手冲咖啡", "手冲入门", "先后购买V60滤杯、温控手冲壶，近期搜索入门磨豆机", None),
       (2, "日常提神饮品", "上班族", "长期购买挂耳咖啡用于提神", "necessity")],
      [(4, "入门电动锥刀磨豆机", "手冲器具", "已备滤杯和手冲壶，搜索并点击锥刀磨豆机", None),
       (10, "埃塞浅烘手冲咖啡豆", "精品咖啡", "近期搜索浅烘豆子", None)]),

    P("u2291", "zh", 27, "female", "宁波", "2025-05-25", 120,
      {"家居": ["香薰蜡烛礼盒", "客厅地毯奶油风", "ins抱枕套", "奶油风落地灯", "遮光窗帘成品"],
       "厨房": ["IH电饭煲", "刀具套装家用", "防霉砧板"]},
      ["奶油风 客厅 布置", "落地灯 客厅", "砧板 防霉"],
      [(110, "search", "婚房 布置"), (100, "purchase", "喜糖盒", "婚礼"),
       (50, "search", "奶油风 客厅 布置"), (40, "search", "新家 厨房 必备"),
       (30, "purchase", "不粘锅炒锅", "厨房"), (12, "search", "洗碗机 嵌入式"), (11, "click", "嵌入式洗碗机8套", "厨房")],
      ["新家布置", "厨房用品"],
      [(1, "奶油风新家软装", "新婚入住新房", "搜索奶油风客厅布置、新家厨房必备，已购入不粘锅炒锅", None),
       (2, "婚礼筹备", "新婚", "购买喜糖盒、搜索婚房布置", "stale")],
      [(2, "嵌入式8套洗碗机", "厨房用品", "搜索并点击嵌入式洗碗机", None),
       (13, "免安装嵌入式水槽洗碗机冰箱二合一", "厨房用品", "用户喜欢嵌入式厨电", "invalid")]),

    P("u2346", "zh", 21, "male", "哈尔滨", "2025-01-15", 90,
      {"滑雪": ["滑雪镜柱面防雾", "滑雪手套防水", "雪服套装防水", "单板固定器"],
       "保暖": ["速干保暖内衣", "加厚羊毛袜"]},
      ["亚布力 雪票", "滑雪镜 防雾", "雪服 推荐"],
      [(60, "purchase", "滑雪头盔", "滑雪"), (40, "search", "滑雪 护具 必要吗"),
       (39, "purchase", "滑雪护臀护具", "滑雪"), (20, "search", "单板 入门 全能板"),
       (10, "search", "刻滑 板"), (9, "click", "单板刻滑板硬板", "滑雪")],
      ["单板滑雪", "冬季户外"],
      [(1, "单板滑雪进阶", "雪季（入门转进阶）", "购齐头盔和护臀后，从搜索全能板转向刻滑板", None),
       (2, "冬季保暖", "寒冬", LONG, "long_reason"),
       (3, "滑雪安全防护", "雪季", "搜索滑雪护具是否必要后购买护臀和头盔", None)],
      [(5, "进阶刻滑单板滑雪板", "单板滑雪", "近期搜索刻滑板并点击硬板", None),
       (11, "高帮防滑登山靴", "徒步登山", "冬季户外需要登山靴", "not_listed")]),

    P("u2403", "zh", 34, "female", "杭州", "2025-05-30", 100,
      {"骑行": ["女款骑行服短袖", "硅胶垫骑行裤", "公路锁鞋", "一体成型骑行头盔", "智能刹车感应尾灯",
               "碳纤维水壶架"],
       "护肤": ["晒后修复芦荟胶"]},
      ["千岛湖 骑行", "锁片 更换", "骑行 补给"],
      [(50, "purchase", "GPS骑行码表", "骑行"), (22, "search", "骑行 防晒 面罩"),
       (21, "click", "冰丝骑行防晒面罩", "骑行"), (12, "search", "公路车 功率计"),
       (3, "purchase", "运动防水防晒霜", "护肤")],
      ["公路骑行", "运动护肤"],
      [(1, "公路车训练数据化", "骑行进阶", "购买GPS码表后搜索功率计", None),
       (2, "户外运动防晒", "夏季骑行季", "搜索骑行防晒面罩并点击冰丝款，近期购买运动防晒霜", None)],
      [(6, "公路车曲柄功率计", "公路骑行", "已有码表，近期搜索功率计", None),
       (12, "冰丝骑行防晒面罩", "运动护肤", "", "empty_reason")]),

    P("u2458", "zh", 30, "male", "广州", "2025-12-20", 100,
      {"乐高": ["乐高星球大战千年隼", "乐高街景书店"],
       "手办": ["海贼王手办路飞", "模型单刃剪钳", "模型水口钳"]},
      ["乐高 2026 新品", "千年隼 乐高", "手办 正版"],
      [(70, "purchase", "乐高机械组跑车", "乐高"), (30, "search", "亚克力 展示盒 防尘"),
       (29, "click", "积木展示盒亚克力", "乐高"), (15, "search", "乐高 圣诞 套装"),
       (8, "search", "MG 高达 推荐"), (7, "click", "模型单刃剪钳", "手办")],
      ["乐高积木", "模型手办"],
      [(1, "乐高收藏与展示", "收藏进阶", "购入机械组跑车后搜索防尘亚克力展示盒", None),
       (2, "高达拼装模型", "入坑期", "搜索MG高达推荐并浏览单刃剪钳", None),
       (3, "节日乐高礼物", "圣诞前", "十二月搜索乐高圣诞套装", None)],
      [(3, "乐高冬季村庄圣诞系列", "乐高积木", "十二月搜索乐高圣诞套装", None),
       (9, "玩具", "乐高积木", "用户喜欢乐高", "generic")]),

    P("u2512", "zh", 23, "female", "成都", "2025-08-15", 60,
      {"家居": ["懒人沙发", "小户型折叠桌", "卧室地毯", "防水墙贴"],
       "电器": ["宿舍小电锅", "落地电风扇", "手持挂烫机"]},
      ["小户型 收纳", "懒人沙发", "挂烫机"],
      [(58, "purchase", "抽纸整箱", "日用"), (55, "search", "租房 必备"), (50, "purchase", "塑料收纳箱", "家居"),
       (30, "search", "出租屋 改造"), (28, "purchase", "抽纸整箱", "日用"),
       (20, "search", "免打孔 窗帘杆"), (19, "click", "免打孔伸缩窗帘杆", "家居")],
      ["租房改造", "平价家居"],
      [(1, "出租屋低成本改造", "毕业入职租房", "搜索租房必备、出租屋改造、免打孔窗帘杆", None),
       (2, "纸巾", "毕业入职", "租房需要日用品", "necessity")],
      [(4, "免打孔伸缩窗帘杆", "租房改造", "搜索并点击免打孔窗帘杆", None),
       (10, "免胶可移除自粘墙纸", "租房改造", "搜索出租屋改造，租房不能破坏墙面", None)]),

    P("u2569", "zh", 38, "male", "上海", "2025-07-05", 100,
      {"教育": ["儿童科学实验套装", "少儿编程机器人套件"],
       "图书": ["DK儿童百科全书", "可怕的科学全套", "万物运转的秘密"]},
      ["DK 百科", "可怕的科学", "编程 机器人"],
      [(60, "search", "少儿编程 几岁学"), (55, "purchase", "Scratch编程教材", "教育"),
       (20, "search", "暑假 科学 实验"), (10, "search", "儿童 天文望远镜"),
       (9, "favorite", "儿童天文望远镜高清入门", "教育")],
      ["少儿编程", "科普阅读"],
      [(1, "少儿编程启蒙", "孩子小学中年级", "搜索少儿编程几岁学并购买Scratch教材", None),
       (2, "暑期科学探索", "暑假", "搜索暑假科学实验、儿童天文望远镜并收藏", None),
       (3, "亲子天文观测", "暑假", "搜索并收藏儿童天文望远镜", None)],
      [(2, "图形化编程机器人套件", "少儿编程", "已购Scratch教材，进入动手编程阶段", None),
       (8, "入门折射式儿童天文望远镜", "科普阅读", "搜索并收藏儿童天文望远镜", None)]),

    P("u2623", "zh", 56, "female", "北京", "2025-04-20", 100,
      {"园艺": ["多肉组合盆栽", "通用营养土", "陶瓷花盆", "园艺喷壶", "园艺剪刀"]},
      ["多肉 徒长", "多肉 浇水", "营养土 配方"],
      [(45, "purchase", "月季苗", "园艺"), (30, "search", "月季 春季 施肥"),
       (29, "purchase", "花卉缓释肥", "园艺"), (10, "search", "绣球 花苗"), (6, "search", "阳台 花架")],
      ["阳台园艺", "多肉植物"],
      [(1, "阳台月季种植", "春季种植期", "购买月季苗后搜索春季施肥并购买缓释肥", None),
       (2, "海钓", "退休生活", "中老年用户常见户外爱好", "hallucination")],
      [(5, "阳台多层落地铁艺花架", "阳台园艺", "近期搜索阳台花架", None),
       (11, "无尽夏绣球花苗带花苞", "阳台园艺", "近期搜索绣球花苗", None)]),

    P("u2677", "zh", 28, "male", "深圳", "2025-09-10", 100,
      {"摄影": ["全画幅微单", "碳纤维三脚架", "相机L板", "CFexpress存储卡"],
       "旅行": ["20寸登机箱", "旅行收纳袋", "万能转换插头"]},
      ["碳纤维 三脚架 轻", "风光 摄影 构图", "登机箱"],
      [(70, "purchase", "24-70镜头", "摄影"), (30, "search", "新疆 自驾 摄影"),
       (25, "search", "长曝光 ND"), (24, "click", "ND减光镜", "摄影"), (12, "search", "相机 双肩包")],
      ["摄影器材", "旅行"],
      [(1, "风光摄影", "旅拍准备", "购入24-70镜头后搜索长曝光ND并点击减光镜", None),
       (2, "长途自驾旅行", "旅拍准备", "搜索新疆自驾摄影、相机双肩包", None)],
      [(4, "可调ND2-400减光镜82mm", "摄影器材", "搜索长曝光ND并点击减光镜", None),
       (10, "大容量防水相机双肩包", "旅行", "近期搜索相机双肩包，准备新疆自驾", None),
       (15, "82mm可调ND减光镜", "摄影器材", "用户对减光镜感兴趣", "duplicate")]),

    P("u2731", "zh", 30, "female", "南宁", "2025-08-05", 90,
      {"护肤": ["敏感肌修护面霜", "舒缓保湿喷雾", "氨基酸洁面", "B5修护霜"],
       "防晒": ["黑胶防晒伞", "防晒口罩冰丝"]},
      ["烟酰胺 敏感肌 能用吗", "修护面霜", "防晒伞"],
      [(40, "search", "屏障受损 怎么办"), (38, "purchase", "神经酰胺精华", "护肤"),
       (14, "search", "物理防晒 不闷痘"), (13, "click", "敏感肌物理防晒霜", "防晒"),
       (5, "search", "敏感肌 泛红 修护")],
      ["敏感肌护肤", "防晒"],
      [(1, "敏感肌屏障修护", "皮肤屏障修复期", "搜索屏障受损、泛红修护并购买神经酰胺精华", None),
       (2, "美白淡斑", "皮肤屏障修复期", "用户关注护肤", "weak")],
      [(3, "敏感肌可用纯物理防晒霜", "防晒", "搜索物理防晒不闷痘并点击敏感肌款", None),
       (9, "敏感肌舒缓修护喷雾", "敏感肌护肤", LONG, "long_reason")]),

    # ---------------------------------------------------------------- English personas
    P("u3001", "en", 32, "female", "Singapore", "2025-03-15", 100,
      {"Baby": ["Anti-Colic Baby Bottles 260ml", "Baby Bouncer Chair", "Diaper Caddy Organizer",
                "Electric Baby Nail Trimmer", "Newborn Diapers Size 1"],
       "Home": ["Adjustable Drawer Dividers", "Blackout Curtains for Nursery", "HEPA Air Purifier Small Room"]},
      ["how to swaddle newborn", "nursery humidifier", "baby bath tub foldable"],
      [(60, "purchase", "Hospital Bag Essentials Kit", "Baby"),
       (40, "purchase", "Newborn Cotton Swaddle Blanket 3-Pack", "Baby"),
       (20, "search", "white noise machine baby"), (18, "search", "baby carrier ergonomic 0-6 months"),
       (17, "click", "Ergonomic Baby Carrier 0-36 Months Breathable Mesh", "Baby")],
      ["newborn care", "home organization"],
      [(1, "newborn sleep routine", "new parent (baby about 1 month old)",
        "Bought swaddle blankets and searched for a white noise machine, typical of settling a newborn's sleep", None),
       (2, "babywearing", "new parent", "Searched for an ergonomic 0-6 month carrier and clicked a breathable mesh model", None)],
      [(2, "portable white noise machine for baby", "newborn care", "Searched 'white noise machine baby' after buying swaddles", None),
       (8, "breathable ergonomic newborn baby carrier", "newborn care", "Searched and clicked ergonomic carriers; not bought yet", None),
       (13, "golf laser rangefinder", "golf", "Parents like weekend sports", "not_listed")]),

    P("u3017", "en", 34, "male", "Austin", "2025-10-20", 120,
      {"Sports": ["Men's Lightweight Running Shorts 5in", "Moisture-Wicking Running Socks 6-Pack",
                  "Running Belt with Bottle Holders", "Reflective Running Vest", "High Density Foam Roller"],
       "Electronics": ["Open-Ear Sports Headphones"],
       "Nutrition": ["Electrolyte Drink Mix Tablets", "Whey Protein Isolate Vanilla"]},
      ["marathon taper plan", "cooling towel running", "tempo run pace"],
      [(110, "purchase", "GPS Running Watch with Heart Rate", "Electronics"),
       (90, "search", "marathon training plan 16 week"),
       (30, "purchase", "Energy Gels Variety Pack 24ct", "Nutrition"),
       (20, "purchase", "Men's Max Cushion Road Running Shoes", "Sports"),
       (14, "search", "carbon plate racing shoes"),
       (13, "click", "Carbon Plate Racing Shoes Men's Marathon", "Sports"), (6, "search", "anti chafe balm")],
      ["marathon training", "sports nutrition"],
      [(1, "marathon race prep", "marathon training (taper phase)",
        "Searched a 16-week marathon plan, then bought energy gels and new trainers; now looking at carbon racing shoes", None),
       (2, "golf", "weekend hobby", "Users who run often also enjoy other outdoor sports.", "hallucination")],
      [(3, "carbon plate marathon racing shoes", "marathon training", "Searched and clicked carbon plate racers before race day", None),
       (7, "anti-chafe stick balm for long runs", "marathon training", "Searched 'anti chafe balm' during peak mileage", None),
       (12, "max cushion road running shoes", "marathon training", "He is interested in running shoes", "purchased")]),

    P("u3042", "en", 27, "female", "London", "2025-02-20", 90,
      {"Beauty": ["Hydrating Hyaluronic Acid Serum 30ml", "Gentle Foaming Cleanser", "Niacinamide 10% + Zinc",
                  "Ceramide Moisturising Cream"],
       "Accessories": ["Silk Pillowcase 22 Momme", "Reusable Makeup Remover Pads"]},
      ["retinol beginner", "double cleansing", "niacinamide and retinol together"],
      [(50, "search", "skin cycling routine"), (45, "purchase", "Retinol 0.2% Night Serum", "Beauty"),
       (20, "search", "sunscreen no white cast"),
       (19, "click", "Invisible Gel Sunscreen SPF 50 No White Cast", "Beauty"),
       (5, "search", "fragrance free moisturiser")],
      ["skincare", "clean beauty"],
      [(1, "retinol night routine", "starting retinol (skin cycling)",
        "Searched 'skin cycling routine', then bought a 0.2% retinol serum", None),
       (2, "skincare", "adult", "likes skincare", "thin_reason")],
      [(4, "invisible gel sunscreen SPF 50 no white cast", "skincare", "Searched for a sunscreen without white cast and clicked a gel SPF 50", None),
       (9, "products", "skincare", "She buys skincare products", "generic")]),

    P("u3068", "en", 25, "male", "Toronto", "2025-11-30", 100,
      {"Electronics": ["Wireless Gaming Mouse 58g", "75% Hot-Swappable Mechanical Keyboard",
                       "1440p 170Hz IPS Monitor", "Capture Card 4K60"],
       "Home": ["RGB LED Light Strip", "Ergonomic Gaming Chair"]},
      ["best budget stream setup", "acoustic foam panels", "obs settings 1080p60"],
      [(80, "purchase", "RTX 4070 Super Graphics Card", "Electronics"),
       (60, "search", "best budget stream setup"),
       (50, "click", "1440p 170Hz IPS Monitor", "Electronics"), (48, "click", "Wireless Gaming Mouse 58g", "Electronics"),
       (35, "purchase", "USB Condenser Microphone", "Electronics"), (20, "search", "mic arm low profile"),
       (12, "search", "key light for streaming"),
       (11, "click", "LED Key Light for Streaming with Desk Clamp", "Electronics")],
      ["PC gaming", "streaming setup"],
      [(1, "live streaming setup", "starting a streaming channel",
        "Searched for a budget stream setup, bought a USB mic, then looked for a mic arm and key light", None),
       (2, "PC gaming", "upgrading rig", "Bought an RTX 4070 Super and browses high-refresh monitors and mice", None)],
      [(5, "low-profile mic boom arm", "streaming setup", "Bought a USB mic and searched 'mic arm low profile'", None),
       (10, "clamp-mounted LED key light for streaming", "streaming setup", "Searched key lights and clicked a desk-clamp model", None),
       (16, "AI noise-cancelling acoustic foam panels", "streaming setup", "He wants a quiet streaming room", "invalid")]),

    P("u3093", "en", 40, "male", "Sydney", "2025-06-30", 120,
      {"Home Improvement": ["Frameless Shower Screen 900mm", "Wall Hung Vanity 750mm", "Ceiling Exhaust Fan"],
       "Tools": ["Cordless Drill Driver 18V", "Angle Grinder 125mm", "Manual Tile Cutter 600mm",
                 "Self-Levelling Laser Level"]},
      ["tile adhesive for wet areas", "grout colour matte black fixtures", "vanity height standard"],
      [(110, "search", "bathroom renovation order of work"),
       (90, "purchase", "Waterproofing Membrane 4L", "Home Improvement"),
       (60, "purchase", "Tile Leveling System Kit", "Home Improvement"),
       (25, "search", "matte black shower set"), (10, "search", "heated towel rail"),
       (9, "favorite", "Heated Towel Rail 8 Bar Matte Black", "Home Improvement")],
      ["home renovation", "power tools"],
      [(1, "bathroom remodel", "renovating (tiling done, fit-off next)",
        "Searched the order of work, bought waterproofing and tile levelling, now looks at shower sets and towel rails", None),
       (2, "smart kitchen appliances", "renovating", "Renovators usually also upgrade their kitchen.", "hallucination")],
      [(3, "matte black rail shower set with handheld", "home renovation", "Searched 'matte black shower set' at fit-off stage", None),
       (8, "heated towel rail matte black 8 bar", "home renovation", "Searched heated towel rails and saved an 8-bar matte black one", None)]),

    P("u3119", "en", 29, "female", "Kuala Lumpur", "2025-05-31", 90,
      {"Pet Supplies": ["Grain-Free Dry Cat Food 2kg", "Sisal Cat Scratching Post", "Interactive Feather Wand Toy"],
       "Home & Garden": ["Self-Watering Planter", "Full Spectrum LED Grow Light", "Pothos Hanging Plant"]},
      ["hanging planter ceiling", "grow light for monstera", "cat toys indoor"],
      [(80, "purchase", "Clumping Tofu Cat Litter 6L", "Pet Supplies"),
       (50, "purchase", "Clumping Tofu Cat Litter 6L", "Pet Supplies"),
       (40, "purchase", "Monstera Deliciosa Live Plant", "Home & Garden"),
       (20, "search", "plants toxic to cats"), (19, "search", "cat safe indoor plants"),
       (18, "purchase", "Clumping Tofu Cat Litter 6L", "Pet Supplies"),
       (10, "search", "cat grass seeds"), (3, "purchase", "Cat Water Fountain 2L", "Pet Supplies")],
      ["cat care", "indoor plants"],
      [(1, "cat-safe indoor gardening", "cat owner growing a plant collection",
        "After buying a monstera she searched which plants are toxic to cats, then cat-safe plants and cat grass", None),
       (2, "cat litter", "cat owner", "Buys cat litter every month", "necessity")],
      [(4, "organic cat grass growing kit", "cat care", "Searched 'cat grass seeds' while making her plants cat-safe", None),
       (9, "cat water fountain", "cat care", "She cares about her cat drinking water", "purchased")]),

    P("u3146", "en", 36, "female", "Vancouver", "2025-07-31", 100,
      {"Sports & Outdoors": ["Merino Wool Hiking Socks", "Collapsible Carbon Trekking Poles",
                             "Women's Waterproof Rain Jacket", "Insulated Water Bottle 750ml"],
       "Electronics": ["Handheld GPS Navigator"]},
      ["trail running shoes wide toe box", "ultralight hiking poles", "hydration bladder 2l"],
      [(60, "purchase", "Trail Running Vest 10L", "Sports & Outdoors"),
       (25, "search", "waterproof trail shoes women"),
       (24, "click", "Women's Waterproof Trail Running Shoes GTX", "Sports & Outdoors"),
       (12, "search", "bear spray"), (8, "purchase", "Rechargeable Headlamp 400 Lumen", "Sports & Outdoors")],
      ["hiking", "trail running"],
      [(1, "mountain trail running", "summer trail season",
        "Bought a 10L trail vest and is shopping for waterproof trail shoes", None),
       (2, "backcountry safety", "summer trail season", "Searched bear spray and bought a rechargeable headlamp", None)],
      [(2, "waterproof trail running shoes", "trail running", "Searched and clicked women's waterproof trail shoes", None),
       (7, "bear spray with quick-draw holster", "hiking", "Searched 'bear spray' before summer hikes", None)]),

    P("u3172", "en", 20, "male", "Manila", "2025-10-15", 120,
      {"Books": ["Engineering Mathematics Reviewer", "Hydraulics and Geotechnical Reviewer"],
       "Office": ["Pastel Highlighters 6-Pack", "A5 Spiral Notebook 5-Pack", "USB LED Desk Lamp"],
       "Dorm": ["Clip-On Electric Fan", "Instant Noodles Variety Pack", "Foldable Laundry Hamper"]},
      ["study desk lamp", "ce board exam tips", "formula sheet hydraulics"],
      [(100, "purchase", "Board Exam Reviewer Civil Engineering", "Books"),
       (40, "purchase", "Scientific Calculator fx-991", "Office"), (15, "search", "pomodoro timer"),
       (8, "search", "noise cancelling earbuds budget"), (7, "click", "Budget ANC Wireless Earbuds", "Electronics")],
      ["exam prep", "budget dorm living"],
      [(1, "licensure exam review", "exam prep (board exam in about two months)",
        "Bought a civil engineering board exam reviewer and a scientific calculator, now searches a pomodoro timer", None),
       (2, "luxury watches", "exam prep", "Young professionals like to reward themselves.", "hallucination")],
      [(3, "budget noise cancelling study earbuds", "exam prep", "Searched budget noise cancelling earbuds and clicked one", None),
       (9, "visual pomodoro countdown timer", "exam prep", "Searched 'pomodoro timer' during review season", None)]),

    P("u3198", "en", 31, "female", "Dublin", "2025-03-10", 90,
      {"Kitchen": ["Bread Lame Scoring Tool", "Stainless Dough Scraper", "Kitchen Scale 0.1g",
                   "Strong White Bread Flour 1.5kg"],
       "Books": ["Flour Water Salt Yeast"]},
      ["oval banneton", "sourdough hydration", "bread lame blades"],
      [(70, "purchase", "Banneton Proofing Basket 9in", "Kitchen"),
       (60, "purchase", "Cast Iron Dutch Oven 5qt", "Kitchen"),
       (20, "search", "sourdough starter smells like acetone"), (18, "search", "rye flour organic"),
       (9, "search", "proofing box")],
      ["sourdough baking", "kitchenware"],
      [(1, "sourdough bread baking", "past the beginner stage",
        "Owns a banneton and Dutch oven; now troubleshooting a starter and looking for rye flour", None),
       (2, "home baking", "baking hobby", LONG, "long_reason")],
      [(2, "organic whole rye flour for sourdough starter", "sourdough baking", "Searched rye flour after her starter smelled of acetone", None),
       (6, "collapsible bread proofing box with temperature control", "sourdough baking", "Searched 'proofing box' in the cold months", None),
       (11, "kitchen stuff", "kitchenware", "She likes her kitchen", "generic")]),

    P("u3225", "en", 45, "male", "Auckland", "2025-12-15", 100,
      {"Fishing": ["Carbon Kayak Paddle", "Snapper Soft Plastic Lures", "Braided Line 20lb", "Portable Fish Finder"],
       "Camping": ["Rooftop Awning 2m", "LED Camp Lantern"]},
      ["snapper soft baits", "kayak fish finder battery", "kayak trolley wheels"],
      [(80, "purchase", "Sit-On-Top Fishing Kayak 3.6m", "Fishing"),
       (50, "purchase", "Kayak Rod Holder Mount", "Fishing"),
       (30, "click", "Twin Burner Camp Stove", "Camping"), (28, "cart", "Cooler Box 45L", "Camping"),
       (20, "search", "kayak anchor trolley"), (10, "search", "PFD fishing vest"),
       (9, "click", "Fishing PFD Vest with Pockets", "Fishing")],
      ["kayak fishing", "camping"],
      [(1, "kayak fishing rigging", "new kayak owner",
        "Bought a fishing kayak and rod holder, now searches anchor trolleys and fishing PFDs", None),
       (2, "summer beach camping", "start of summer", "Clicked a twin burner camp stove and carted a 45L cooler", None)],
      [(4, "kayak anchor trolley kit", "kayak fishing", "Searched 'kayak anchor trolley' after rigging rod holders", None),
       (9, "fishing PFD vest with tackle pockets", "kayak fishing", "Searched PFD fishing vests and clicked one with pockets", None),
       (14, "kayak anchor trolley kit", "kayak fishing", "He fishes from a kayak", "duplicate")]),
]

ZH_VERB = {"purchase": "购买了", "cart": "加购了", "favorite": "收藏了", "click": "浏览了", "search": "搜索了"}
EN_VERB = {"purchase": "bought", "cart": "added to cart", "favorite": "saved", "click": "viewed", "search": "searched for"}

FUNNELS = [  # (weight, behaviour types in order, same item)
    (50, ("click",)),
    (15, ("click", "favorite")),
    (15, ("click", "cart")),
    (20, ("click", "cart", "purchase")),
]


def iso(d):
    return d.isoformat()


def make_behaviors(p, rng):
    """Anchors plus filler drawn from the persona's vocabulary: 20-60 behaviours in all
    (fewer for small vocabularies), sorted by date. Filler items are picked uniformly
    from the vocabulary; each item goes at most once past a click (favourite, cart or
    purchase), later picks of it are plain clicks (re-views)."""
    end = date.fromisoformat(p["end"])
    start = end - timedelta(days=p["span"])
    items = [(cat, item) for cat in sorted(p["vocab"]) for item in p["vocab"][cat]]
    target = rng.randint(20, min(60, 20 + 4 * len(items)))
    target = max(target, len(p["anchors"]) + 10)
    events = []  # (date, seq, behaviour)
    seq = 0
    for a in p["anchors"]:
        d = end - timedelta(days=a[0])
        if a[1] == "search":
            b = {"time": iso(d), "type": "search", "query": a[2]}
        else:
            b = {"time": iso(d), "type": a[1], "item": a[2], "category": a[3]}
        events.append((d, seq, b))
        seq += 1
    filler = []
    deep = set()
    weights = [w for w, _ in FUNNELS]
    while len(filler) < target - len(p["anchors"]):
        d = start + timedelta(days=rng.randint(0, p["span"]))
        if rng.random() < 0.2:
            filler.append((d, {"time": iso(d), "type": "search", "query": rng.choice(p["queries"])}))
            continue
        cat, item = rng.choice(items)
        steps = rng.choices([f for _, f in FUNNELS], weights=weights)[0]
        if len(steps) > 1:
            if item in deep:
                steps = ("click",)
            deep.add(item)
        for t in steps:
            filler.append((d, {"time": iso(d), "type": t, "item": item, "category": cat}))
            d = min(end, d + timedelta(days=rng.randint(0, 2)))
    for d, b in filler[: target - len(p["anchors"])]:
        events.append((d, seq, b))
        seq += 1
    events.sort(key=lambda e: (e[0], e[1]))
    return [b for _, _, b in events]


def long_reason(p, behaviors, interest):
    """An over-long reason that dumps the last 14 behaviours (a planted failure)."""
    recent = behaviors[-14:]
    if p["lang"] == "zh":
        parts = ["用户于%s%s「%s」" % (b["time"], ZH_VERB[b["type"]], b.get("item") or b.get("query")) for b in recent]
        return ("根据用户的历史行为，" + "，".join(parts) + "。综合以上全部行为可以看出，用户对%s有着非常浓厚且持续的兴趣，"
                "同时用户的年龄、性别和所在城市也进一步说明了这一点，因此我们认为用户未来很可能继续关注%s相关的各类商品，"
                "包括但不限于各种品牌、各种价位、各种款式的相关产品。" % (interest, interest))
    parts = ['on %s the user %s "%s"' % (b["time"], EN_VERB[b["type"]], b.get("item") or b.get("query")) for b in recent]
    return ("Looking at the history: " + "; ".join(parts) + ". Taking all of these behaviours together, it is clear that "
            "the user has a strong and lasting interest in %s, which is further supported by their age, gender and city, "
            "so they will very likely keep looking at all kinds of %s products of every brand, price and style."
            % (interest, interest))


def pick_generator(rng, flawed):
    r = rng.random()
    if flawed:
        if r < 0.15:
            return {"model": "qwen3-8b-sft", "round": 1}
        return {"model": "qwen3-14b-sft", "round": 2 if r < 0.65 else 3}
    if r < 0.05:
        return {"model": "qwen3-8b-sft", "round": 1}
    return {"model": "qwen3-14b-sft", "round": 2 if r < 0.35 else 3}


def persona_samples(p, rng, planted):
    behaviors = make_behaviors(p, rng)
    out = []
    for n, interest, stage, reason, flaw in p["iout"]:
        if reason == LONG:
            reason = long_reason(p, behaviors, interest)
        sid = "%s-interest-%02d" % (p["uid"], n)
        out.append({"id": sid, "task": "interest",
                    "user": {"id": p["uid"], "profile": p["profile"], "behaviors": behaviors},
                    "output": {"interest": interest, "stage": stage, "reason": reason},
                    "generator": pick_generator(rng, flaw is not None)})
        if flaw:
            planted.append((sid, flaw))
    for n, tag, interest, reason, flaw in p["tout"]:
        if reason == LONG:
            reason = long_reason(p, behaviors, interest)
        sid = "%s-tag-%02d" % (p["uid"], n)
        out.append({"id": sid, "task": "tag",
                    "user": {"id": p["uid"], "profile": p["profile"], "behaviors": behaviors,
                             "interests": p["interests"]},
                    "output": {"tag": tag, "interest": interest, "reason": reason},
                    "generator": pick_generator(rng, flaw is not None)})
        if flaw:
            planted.append((sid, flaw))
    return out


def xrec_samples(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit("%s:%d: not JSON: %s" % (path, lineno, e))
            if r["test_index"] % XREC_EVERY != 0:
                continue
            out.append({"id": "xrec-u%d-i%d" % (r["uid"], r["iid"]), "task": "explanation",
                        "user": {"id": "xrec-u%d" % r["uid"], "profile": {"summary": r["user_profile_gpt"]},
                                 "behaviors": [], "interests": []},
                        "item": {"id": "xrec-i%d" % r["iid"], "title": r["title"], "category": "Books",
                                 "profile": r["item_profile_gpt"]},
                        "output": {"explanation": r["xrec_generated_explanation"]},
                        "generator": {"model": "XRec", "round": 1},
                        "reference": {"explanation": r["reference_explanation_gpt"], "source": XREC_SOURCE,
                                      "test_index": r["test_index"]}})
    return out


def nonempty_str(v):
    return isinstance(v, str) and v != ""


def validate(path, planted):
    """Read the written file back; return a list of problems (empty when fine)."""
    problems = []
    ids = set()
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append("BOM at start of file")
    if b"\r" in raw:
        problems.append("CR in file")
    flaws = dict(planted)
    seen_tags = {}
    for lineno, line in enumerate(raw.decode("utf-8").split("\n"), 1):
        if line == "":
            continue
        where = "line %d" % lineno
        try:
            s = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append("%s: not JSON: %s" % (where, e))
            continue
        sid = s.get("id")
        if not nonempty_str(sid) or sid in ids:
            problems.append("%s: missing or duplicate id %r" % (where, sid))
        ids.add(sid)
        task = s.get("task")
        if task not in TASKS:
            problems.append("%s: bad task %r" % (where, task))
        u = s.get("user", {})
        if not nonempty_str(u.get("id")) or not isinstance(u.get("profile"), dict):
            problems.append("%s: user id/profile" % where)
        bs = u.get("behaviors")
        if not isinstance(bs, list):
            problems.append("%s: behaviors not a list" % where)
            bs = []
        times = []
        for b in bs:
            t = b.get("type")
            try:
                date.fromisoformat(b.get("time", ""))
            except ValueError:
                problems.append("%s: bad time %r" % (where, b.get("time")))
            times.append(b.get("time"))
            if t not in BEHAVIOR_TYPES:
                problems.append("%s: bad behaviour type %r" % (where, t))
            elif t == "search":
                if not nonempty_str(b.get("query")) or "item" in b:
                    problems.append("%s: search needs query only" % where)
            elif not (nonempty_str(b.get("item")) and nonempty_str(b.get("category"))):
                problems.append("%s: %s needs item and category" % (where, t))
        if times != sorted(times):
            problems.append("%s: behaviours not sorted by time" % where)
        if task in ("interest", "tag") and not 20 <= len(bs) <= 60:
            problems.append("%s: %d behaviours" % (where, len(bs)))
        o = s.get("output", {})
        g = s.get("generator", {})
        if not nonempty_str(g.get("model")) or not isinstance(g.get("round"), int):
            problems.append("%s: generator" % where)
        if task == "interest":
            if "interests" in u:
                problems.append("%s: interest sample has interests" % where)
            if set(o) != {"interest", "stage", "reason"} or not all(isinstance(v, str) for v in o.values()):
                problems.append("%s: interest output fields" % where)
        elif task == "tag":
            if set(o) != {"tag", "interest", "reason"} or not all(isinstance(v, str) for v in o.values()):
                problems.append("%s: tag output fields" % where)
            ints = u.get("interests")
            if not isinstance(ints, list) or not ints:
                problems.append("%s: tag sample without interests" % where)
            elif (o.get("interest") in ints) == (flaws.get(sid) == "not_listed"):
                problems.append("%s: interest-in-list does not match planting" % where)
            key = (u.get("id"), o.get("tag"))
            if key in seen_tags and flaws.get(sid) != "duplicate":
                problems.append("%s: unplanted duplicate tag" % where)
            seen_tags.setdefault(key, sid)
            # a tag close to an item bought in the 30 days before the last behaviour must be
            # a planted 'purchased' failure, and every planted one must be close to such an item
            end = date.fromisoformat(max(times))
            recent = [b["item"] for b in bs if b["type"] == "purchase"
                      and (end - date.fromisoformat(b["time"])).days <= 30]
            close = max([overlap(o.get("tag", ""), item) for item in recent] + [0.0])
            if (close >= 0.45) != (flaws.get(sid) == "purchased"):
                problems.append("%s: recent-purchase overlap %.2f does not match planting" % (where, close))
        elif task == "explanation":
            it = s.get("item", {})
            if not all(nonempty_str(it.get(k)) for k in ("id", "title", "category", "profile")):
                problems.append("%s: item fields" % where)
            if set(o) != {"explanation"} or not nonempty_str(o.get("explanation")):
                problems.append("%s: explanation output" % where)
    return problems


def overlap(tag, item):
    """Share of the tag's units found in the item title: words for ASCII text, character
    bigrams otherwise (case and punctuation ignored). 0.0 for an empty tag."""
    def units(s):
        s = "".join(ch for ch in s.lower() if ch.isalnum() or ch == " ")
        if all(ord(ch) < 0x3000 for ch in s):
            return set(s.split())
        s = s.replace(" ", "")
        return {s[i:i + 2] for i in range(len(s) - 1)}
    t = units(tag)
    return len(t & units(item)) / len(t) if t else 0.0


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "xrec_amazon_books", XREC_FILE),
                    help="XRec JSON Lines file (default: ../shared/data/xrec_amazon_books/%s)" % XREC_FILE)
    ap.add_argument("--out", default=os.path.join(root, "sessions", "demo", "samples.jsonl"))
    ap.add_argument("--planted", action="store_true", help="list the planted failures (id, kind, dimension)")
    args = ap.parse_args()

    rng = random.Random(SEED)
    planted = []
    samples = []
    for p in PERSONAS:
        samples.extend(persona_samples(p, rng, planted))
    samples.extend(xrec_samples(args.data))

    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for s in samples:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")

    problems = validate(args.out, planted)
    counts = {}
    for s in samples:
        lang = "en" if s["task"] == "explanation" or all(ord(c) < 0x3000 for c in json.dumps(s["output"], ensure_ascii=False)) else "zh"
        counts[(s["task"], lang)] = counts.get((s["task"], lang), 0) + 1
    print("wrote %d samples to %s" % (len(samples), os.path.relpath(args.out)))
    for k in sorted(counts):
        print("  %-12s %s %4d" % (k[0], k[1], counts[k]))
    by_task = {}
    for sid, _ in planted:
        t = "tag" if "-tag-" in sid else "interest"
        by_task[t] = by_task.get(t, 0) + 1
    print("  planted failures: %s" % ", ".join("%s %d" % kv for kv in sorted(by_task.items())))
    if args.planted:
        for sid, flaw in planted:
            print("  %-20s %-15s %s" % (sid, flaw, FLAWS[flaw]))
    if problems:
        for pr in problems:
            print("PROBLEM: " + pr, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
