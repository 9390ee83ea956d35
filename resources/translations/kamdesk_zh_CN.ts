<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountCardPage</name>
    <message>
        <source>Read only: this account belongs to another territory</source>
        <translation>只读：此客户属于其他片区</translation>
    </message>
    <message>
        <source>← List</source>
        <translation>← 客户列表</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一户</translation>
    </message>
    <message>
        <source>Previous account (Alt+Up or PageUp)</source>
        <translation>上一户 (Alt+↑ 或 PageUp)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一户</translation>
    </message>
    <message>
        <source>Next account (Alt+Down or PageDown)</source>
        <translation>下一户 (Alt+↓ 或 PageDown)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save changes (Ctrl+S)</source>
        <translation>保存修改 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Classification details are not available in this build.</source>
        <translation>此版本暂无分类详情。</translation>
    </message>
    <message>
        <source>Basic information card</source>
        <translation>客户基本信息卡</translation>
    </message>
    <message>
        <source>Business and capability</source>
        <translation>经营与能力</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评价记录</translation>
    </message>
    <message>
        <source>Purchases and debt</source>
        <translation>进货与欠款</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>拜访</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注记录</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>New account</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Fill in at least the code, name and format, then save.</source>
        <translation>请至少填写客户编码、店名和业态，然后保存。</translation>
    </message>
    <message>
        <source>Tier %1</source>
        <translation>%1类</translation>
    </message>
    <message>
        <source>Grade %1</source>
        <translation>关系%1级</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>VIP candidate</source>
        <translation>VIP候选</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>This account card has unsaved changes.</source>
        <translation>此客户档案有未保存的修改。</translation>
    </message>
    <message>
        <source>Save them before leaving?</source>
        <translation>离开前要保存吗？</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save a copy</source>
        <translation>另存副本</translation>
    </message>
    <message>
        <source>Attach a contract copy or photo</source>
        <translation>添加合同副本或照片</translation>
    </message>
    <message>
        <source>Documents and images (*.pdf *.jpg *.jpeg *.png *.heic *.doc *.docx);;All files (*)</source>
        <translation>文档和图片 (*.pdf *.jpg *.jpeg *.png *.heic *.doc *.docx);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>AccountListPage</name>
    <message>
        <source>Search name, code, address, owner, phone or pinyin (e.g. hxyj)</source>
        <translation>搜索店名、编码、地址、负责人、电话或拼音（如 hxyj）</translation>
    </message>
    <message>
        <source>New account</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Create a new account card (Ctrl+N)</source>
        <translation>新建客户档案 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>All tiers</source>
        <translation>全部ABC类</translation>
    </message>
    <message>
        <source>All formats</source>
        <translation>全部业态</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部生命周期</translation>
    </message>
    <message>
        <source>All grades</source>
        <translation>全部关系等级</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Key account</source>
        <translation>大客户</translation>
    </message>
    <message>
        <source>Visit overdue</source>
        <translation>拜访逾期</translation>
    </message>
    <message>
        <source>No completed visit for 7 days (tier A), 14 days (B) or 30 days (C)</source>
        <translation>A类7天、B类14天、C类30天内没有完成拜访</translation>
    </message>
    <message>
        <source>Owes money</source>
        <translation>有欠款</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Filter:</source>
        <translation>筛选：</translation>
    </message>
    <message>
        <source>Save filter…</source>
        <translation>保存筛选…</translation>
    </message>
    <message>
        <source>Delete saved filter</source>
        <translation>删除已存筛选</translation>
    </message>
    <message>
        <source>Saved filters:</source>
        <translation>已存筛选：</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Save filter</source>
        <translation>保存筛选</translation>
    </message>
    <message>
        <source>Name for the current search and filters:</source>
        <translation>为当前搜索和筛选条件命名：</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s)</source>
        <translation>
            <numerusform>共 %n 户</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AccountTableModel</name>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>店名</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>业态</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Tier set by hand (computed: %1)</source>
        <translation>人工设定（计算结果：%1）</translation>
    </message>
</context>
<context>
    <name>AccountsWorkspace</name>
    <message>
        <source>Cannot open the account</source>
        <translation>无法打开客户档案</translation>
    </message>
    <message>
        <source>Export the list</source>
        <translation>导出客户列表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exported %1 account(s) to %2</source>
        <translation>已导出 %1 户到 %2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
</context>
<context>
    <name>AdvicePage</name>
    <message>
        <source>Ordering advice</source>
        <translation>订货建议</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation>重新计算</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <source>All decisions</source>
        <translation>全部处理状态</translation>
    </message>
    <message>
        <source>Account name or code</source>
        <translation>客户名称或编码</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Accept (Enter)</source>
        <translation>采纳（回车）</translation>
    </message>
    <message>
        <source>Dismiss (Del)</source>
        <translation>忽略（Del）</translation>
    </message>
    <message>
        <source>Not computed yet.</source>
        <translation>尚未计算。</translation>
    </message>
    <message>
        <source>Computing the advice…</source>
        <translation>正在计算订货建议…</translation>
    </message>
    <message>
        <source>Cancelled; the previous list is still shown.</source>
        <translation>已取消；仍显示上一次的结果。</translation>
    </message>
    <message>
        <source>The advice could not be computed: %1</source>
        <translation>无法计算订货建议：%1</translation>
    </message>
    <message>
        <source>%1 accounts · as of %2 · computed in %3 s</source>
        <translation>%1 家客户 · 截至 %2 · 用时 %3 秒</translation>
    </message>
    <message>
        <source>%1 of %2 items</source>
        <translation>显示 %1 / 共 %2 条</translation>
    </message>
    <message>
        <source>Select an item to see its working.</source>
        <translation>选择一条建议查看计算过程。</translation>
    </message>
</context>
<context>
    <name>AdvicePanel</name>
    <message>
        <source>Advice</source>
        <translation>经营建议</translation>
    </message>
    <message>
        <source>Suggested order</source>
        <translation>建议订货</translation>
    </message>
    <message>
        <source>Choose an account to see its ordering advice.</source>
        <translation>选择客户后显示订货建议。</translation>
    </message>
    <message>
        <source>Computing the advice…</source>
        <translation>正在计算订货建议…</translation>
    </message>
    <message>
        <source>The advice could not be computed: %1</source>
        <translation>无法计算订货建议：%1</translation>
    </message>
    <message>
        <source>%1 has no ordering history yet, so there is no advice.</source>
        <translation>%1 尚无进货记录，暂无建议。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · order %2 · monthly margin ≈ %3 · debt %4 · %5 open items</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · 建议订货 %2 · 月毛利约 %3 · 欠款 %4 · 待处理建议 %5 条</translation>
    </message>
</context>
<context>
    <name>AdviceTableModel</name>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>品规</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Suggested order</source>
        <translation>建议订货</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>AnomalyTableModel</name>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Compared with</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>基期</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Special visit</source>
        <translation>特殊拜访</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>品规</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Same month last year</source>
        <translation>同比</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>Weekly</source>
        <translation>每周</translation>
    </message>
    <message>
        <source>Before update</source>
        <translation>升级前</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>The backup file does not exist.</source>
        <translation>备份文件不存在。</translation>
    </message>
    <message>
        <source>This backup cannot be opened with this workspace's key: it belongs to another workspace, needs another passphrase or recovery key, or is not a backup.</source>
        <translation>无法用本工作区的密钥打开此备份：它属于其他工作区、需要其他密码或恢复密钥，或者根本不是备份文件。</translation>
    </message>
    <message>
        <source>This backup is damaged and cannot be restored.</source>
        <translation>此备份已损坏，无法恢复。</translation>
    </message>
    <message>
        <source>This backup was made by a newer KAMDesk. Update the app before restoring it.</source>
        <translation>此备份由更新版本的 KAMDesk 创建。请先升级软件再恢复。</translation>
    </message>
    <message>
        <source>This file is not a KAMDesk workspace backup.</source>
        <translation>此文件不是 KAMDesk 工作区备份。</translation>
    </message>
    <message>
        <source>There is no database to back up.</source>
        <translation>没有可备份的数据库。</translation>
    </message>
    <message>
        <source>The backup before the database update failed.</source>
        <translation>数据库升级前的备份失败。</translation>
    </message>
    <message>
        <source>The backup folder cannot be used: %1</source>
        <translation>无法使用备份文件夹：%1</translation>
    </message>
    <message>
        <source>Backups and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <source>Backups are encrypted with your workspace's key. A weekly backup is made at start-up and one before every database update; restoring keeps the current database aside.</source>
        <translation>备份使用工作区的密钥加密。每周启动时自动备份一次，每次数据库升级前也会备份；恢复时会保留当前数据库的副本。</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Made (China time)</source>
        <translation>创建时间（北京时间）</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <source>Restore from file…</source>
        <translation>从文件恢复…</translation>
    </message>
    <message>
        <source>Show recovery key…</source>
        <translation>显示恢复密钥…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Backup folder: %1</source>
        <translation>备份文件夹：%1</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>未校验</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>Backup saved: %1</source>
        <translation>备份已保存：%1</translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation>正在备份</translation>
    </message>
    <message>
        <source>The backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>Folder for backups</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>New backups go to %1. Existing backups stay where they are.</source>
        <translation>新的备份将保存到 %1。已有的备份保留在原处。</translation>
    </message>
    <message>
        <source>Checking the backup</source>
        <translation>正在校验备份</translation>
    </message>
    <message>
        <source>%1 is sound: it opens with the key and passes the integrity check.</source>
        <translation>%1 完好：可以用密钥打开，并通过完整性检查。</translation>
    </message>
    <message>
        <source>Restore from a backup file</source>
        <translation>从备份文件恢复</translation>
    </message>
    <message>
        <source>KAMDesk backups (*%1);;All files (*)</source>
        <translation>KAMDesk 备份 (*%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Restore this backup?</source>
        <translation>恢复此备份？</translation>
    </message>
    <message>
        <source>Restore %1?

Everything changed since this backup was made will no longer be in your workspace: changes not yet synced are lost. The current database is kept aside next to it (not deleted). KAMDesk closes after restoring; start it again to use the restored data.</source>
        <translation>要恢复 %1 吗？

此备份之后的所有更改都将从工作区中消失：尚未同步的更改会丢失。当前数据库会以副本形式保留在原文件旁（不会删除）。恢复后 KAMDesk 将关闭；请重新启动以使用恢复的数据。</translation>
    </message>
    <message>
        <source>This backup cannot be restored; nothing was changed</source>
        <translation>无法恢复此备份；数据未做任何更改</translation>
    </message>
    <message>
        <source>The restore failed; your current database is unchanged</source>
        <translation>恢复失败；当前数据库未被更改</translation>
    </message>
    <message>
        <source>KAMDesk closes now; start it again.</source>
        <translation>KAMDesk 即将关闭，请重新启动。</translation>
    </message>
    <message>
        <source>The previous database was kept as %1.</source>
        <translation>原数据库已保留为 %1。</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>备份已恢复</translation>
    </message>
    <message>
        <source>The workspace was restored from %1.</source>
        <translation>工作区已从 %1 恢复。</translation>
    </message>
    <message>
        <source>KAMDesk closes now; start it again to use the restored data.</source>
        <translation>KAMDesk 即将关闭；请重新启动以使用恢复的数据。</translation>
    </message>
    <message>
        <source>Show recovery key</source>
        <translation>显示恢复密钥</translation>
    </message>
    <message>
        <source>Enter the passphrase of your KAMDesk database:</source>
        <translation>请输入 KAMDesk 数据库的密码：</translation>
    </message>
    <message>
        <source>That passphrase is wrong.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <source>The recovery key opens your backups on another computer. Anyone who has it and a backup can read your data. Show it now?</source>
        <translation>恢复密钥可以在另一台电脑上打开您的备份。任何持有它和备份的人都能读取您的数据。现在显示吗？</translation>
    </message>
    <message>
        <source>The recovery key cannot be shown</source>
        <translation>无法显示恢复密钥</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>Write this key down and keep it as safe as your computer's password. With it, a backup can be restored on a new computer:</source>
        <translation>请抄下此密钥，并像保管电脑密码一样妥善保管。凭它可以在新电脑上恢复备份：</translation>
    </message>
    <message>
        <source>Write down your recovery key</source>
        <translation>请抄下恢复密钥</translation>
    </message>
    <message>
        <source>Your KAMDesk data is encrypted on this laptop. If the laptop is lost or breaks, your backups can only be opened with its recovery key. Write the key down now and keep it somewhere safe, away from the laptop.</source>
        <translation>本机上的 KAMDesk 数据已加密。如果电脑丢失或损坏，只有用恢复密钥才能打开备份。请现在抄下密钥，并存放在电脑以外的安全地方。</translation>
    </message>
    <message>
        <source>Remind me next time</source>
        <translation>下次再提醒我</translation>
    </message>
    <message>
        <source>Weekly backup saved: %1</source>
        <translation>每周备份已保存：%1</translation>
    </message>
    <message>
        <source>The weekly backup failed: %1 (Tools → Backups and restore to retry)</source>
        <translation>每周备份失败：%1（可在“工具 → 备份与恢复”中重试）</translation>
    </message>
    <message>
        <source>Backups and restore…</source>
        <translation>备份与恢复…</translation>
    </message>
</context>
<context>
    <name>CardFields</name>
    <message>
        <source>Account code</source>
        <translation>客户编码</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>店名</translation>
    </message>
    <message>
        <source>Legal name</source>
        <translation>工商名称</translation>
    </message>
    <message>
        <source>Licence no.</source>
        <translation>许可证号</translation>
    </message>
    <message>
        <source>Licence expiry</source>
        <translation>许可证到期</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Business format</source>
        <translation>业态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>营业时间</translation>
    </message>
    <message>
        <source>Floor area (m²)</source>
        <translation>经营面积(㎡)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Lifecycle (manual)</source>
        <translation>生命周期(人工)</translation>
    </message>
    <message>
        <source>Relationship grade</source>
        <translation>关系等级</translation>
    </message>
    <message>
        <source>Loyalty</source>
        <translation>忠诚度</translation>
    </message>
    <message>
        <source>ABC (manual)</source>
        <translation>ABC(人工)</translation>
    </message>
    <message>
        <source>Money (M)</source>
        <translation>购买力(M)</translation>
    </message>
    <message>
        <source>Authority (A)</source>
        <translation>决策权(A)</translation>
    </message>
    <message>
        <source>Need (N)</source>
        <translation>需求(N)</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>信用额度</translation>
    </message>
    <message>
        <source>Credit terms (days)</source>
        <translation>账期(天)</translation>
    </message>
    <message>
        <source>Price group</source>
        <translation>价格组</translation>
    </message>
    <message>
        <source>Lead time (days)</source>
        <translation>到货周期(天)</translation>
    </message>
    <message>
        <source>Downstream customers</source>
        <translation>下游客户数</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>辐射范围</translation>
    </message>
    <message>
        <source>Warehouse (m²)</source>
        <translation>仓储面积(㎡)</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Capital</source>
        <translation>资金实力</translation>
    </message>
    <message>
        <source>Best-selling brands held</source>
        <translation>畅销品牌</translation>
    </message>
    <message>
        <source>Main consumer groups</source>
        <translation>主要消费群体</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Lunar birthday</source>
        <translation>农历生日</translation>
    </message>
    <message>
        <source>Lunar month</source>
        <translation>农历月</translation>
    </message>
    <message>
        <source>Lunar day</source>
        <translation>农历日</translation>
    </message>
    <message>
        <source>Leap month</source>
        <translation>闰月</translation>
    </message>
    <message>
        <source>Interests</source>
        <translation>兴趣爱好</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>家庭情况</translation>
    </message>
    <message>
        <source>Decision maker</source>
        <translation>决策人</translation>
    </message>
    <message>
        <source>Enthusiasm</source>
        <translation>积极性</translation>
    </message>
    <message>
        <source>Flexibility</source>
        <translation>经营灵活性</translation>
    </message>
    <message>
        <source>Distribution reach</source>
        <translation>分销覆盖</translation>
    </message>
    <message>
        <source>Capital strength</source>
        <translation>资金实力</translation>
    </message>
    <message>
        <source>Best-selling brands</source>
        <translation>畅销品牌</translation>
    </message>
    <message>
        <source>Storage, vehicles, staff</source>
        <translation>仓储车辆人员</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>信誉</translation>
    </message>
    <message>
        <source>Social relations</source>
        <translation>社会关系</translation>
    </message>
    <message>
        <source>Potential</source>
        <translation>潜力</translation>
    </message>
</context>
<context>
    <name>CardSections</name>
    <message>
        <source>Lunar</source>
        <translation>农历</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Birthday (this year)</source>
        <translation>生日（今年公历）</translation>
    </message>
    <message>
        <source>Interests</source>
        <translation>兴趣爱好</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>家庭情况</translation>
    </message>
    <message>
        <source>Add contact…</source>
        <translation>添加联系人…</translation>
    </message>
    <message>
        <source>★ decision maker. Lunar birthdays show their solar date this year.</source>
        <translation>★ 为决策人。农历生日同时显示今年的公历日期。</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>新联系人</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>New evaluation…</source>
        <translation>新评价…</translation>
    </message>
    <message>
        <source>Scores 1 (poor) to 5 (excellent); history is kept.</source>
        <translation>评分1（差）到5（优），保留历史记录。</translation>
    </message>
    <message>
        <source>New evaluation</source>
        <translation>新评价</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Amount ¥</source>
        <translation>金额 ¥</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>品规</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Outstanding ¥</source>
        <translation>欠款 ¥</translation>
    </message>
    <message>
        <source>Last 12 months by month</source>
        <translation>近12个月逐月进货</translation>
    </message>
    <message>
        <source>Top products (12 months)</source>
        <translation>主要品规（近12个月）</translation>
    </message>
    <message>
        <source>Recent purchase lines</source>
        <translation>最近进货明细</translation>
    </message>
    <message>
        <source>12-month purchases: ¥%1 in %2 lines · last purchase: %3 · outstanding debt: </source>
        <translation>近12个月进货：¥%1（%2笔）· 最近进货：%3 · 欠款：</translation>
    </message>
    <message>
        <source>Counted on</source>
        <translation>盘点日期</translation>
    </message>
    <message>
        <source>Latest count per product (counted at visits)</source>
        <translation>各品规最近一次库存（拜访时盘点）</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>拜访小结</translation>
    </message>
    <message>
        <source>Routine</source>
        <translation>例行拜访</translation>
    </message>
    <message>
        <source>Special (sales swing)</source>
        <translation>特殊拜访（销量波动）</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>挽留拜访</translation>
    </message>
    <message>
        <source>Debt collection</source>
        <translation>催收欠款</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>处理投诉</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新品推广</translation>
    </message>
    <message>
        <source>Prospecting</source>
        <translation>开发潜在客户</translation>
    </message>
    <message>
        <source>Senior visit</source>
        <translation>高层拜访</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>已计划</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>另存副本…</translation>
    </message>
    <message>
        <source>Contract copies and photos are kept inside the encrypted database.</source>
        <translation>合同副本和照片保存在加密数据库内。</translation>
    </message>
    <message>
        <source>Write a note; notes are kept, never overwritten</source>
        <translation>写一条备注；备注只追加，不会被覆盖</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ClassificationPanel</name>
    <message>
        <source>Propose as VIP</source>
        <translation>申请VIP</translation>
    </message>
    <message>
        <source>Approve VIP</source>
        <translation>批准VIP</translation>
    </message>
    <message>
        <source>Reject VIP</source>
        <translation>驳回VIP</translation>
    </message>
    <message>
        <source>ABC tier</source>
        <translation>ABC分级</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Key account</source>
        <translation>大客户</translation>
    </message>
    <message>
        <source>Meets</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>%1 (manual; computed %2)</source>
        <translation>%1（人工；计算为%2）</translation>
    </message>
    <message>
        <source>Plan a retention visit.</source>
        <translation>请安排挽留拜访。</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>Visit purpose: </source>
        <translation>拜访目的：</translation>
    </message>
    <message>
        <source>Tone: </source>
        <translation>沟通方式：</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>关系等级</translation>
    </message>
    <message>
        <source>Not yet assessed (counted as no): %1</source>
        <translation>尚未评估（按“否”计）：%1</translation>
    </message>
    <message>
        <source>MAN</source>
        <translation>MAN资质</translation>
    </message>
    <message>
        <source>History: </source>
        <translation>历史：</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>客户评价</translation>
    </message>
    <message>
        <source>No evaluation recorded yet.</source>
        <translation>尚无评价记录。</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Portfolio</source>
        <translation>客户组合</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Sales anomalies</source>
        <translation>销量异常</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>正在刷新…</translation>
    </message>
    <message>
        <source>Refresh failed: %1</source>
        <translation>刷新失败：%1</translation>
    </message>
    <message>
        <source>A cut-off</source>
        <translation>A类分界</translation>
    </message>
    <message>
        <source>B cut-off</source>
        <translation>B类分界</translation>
    </message>
    <message>
        <source>Pareto curve (12-month purchases)</source>
        <translation>帕累托曲线（近12个月进货额）</translation>
    </message>
    <message>
        <source>Share of accounts</source>
        <translation>客户占比</translation>
    </message>
    <message>
        <source>Share of value</source>
        <translation>进货额占比</translation>
    </message>
    <message>
        <source>Cumulative share of value</source>
        <translation>累计进货额占比</translation>
    </message>
    <message>
        <source>ABC tiers</source>
        <translation>ABC分级</translation>
    </message>
    <message>
        <source>%1 tier</source>
        <translation>%1类</translation>
    </message>
    <message>
        <source>Lifecycle stages</source>
        <translation>生命周期阶段</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Business formats</source>
        <translation>业态分布</translation>
    </message>
    <message>
        <source>0–30 days</source>
        <translation>0–30天</translation>
    </message>
    <message>
        <source>31–60 days</source>
        <translation>31–60天</translation>
    </message>
    <message>
        <source>61–90 days</source>
        <translation>61–90天</translation>
    </message>
    <message>
        <source>Over 90 days</source>
        <translation>90天以上</translation>
    </message>
    <message>
        <source>Outstanding debt by age (¥10,000)</source>
        <translation>欠款账龄（万元）</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>欠款</translation>
    </message>
    <message>
        <source>Sales anomalies in %1: %2 (special visits suggested: %3)</source>
        <translation>%1 销量异常：%2 条（建议特殊拜访：%3 户）</translation>
    </message>
    <message>
        <source>As of %1</source>
        <translation>截至 %1</translation>
    </message>
    <message>
        <source>Accounts: %1</source>
        <translation>客户数：%1</translation>
    </message>
    <message>
        <source>12-month purchases: %1</source>
        <translation>近12个月进货：%1</translation>
    </message>
    <message>
        <source>A tier: top %1 of accounts buy %2 of value</source>
        <translation>A类：前%1的客户贡献%2的进货额</translation>
    </message>
    <message>
        <source>A and B: top %1 of accounts buy %2 of value</source>
        <translation>A+B类：前%1的客户贡献%2的进货额</translation>
    </message>
    <message>
        <source>Outstanding debt: %1 at %2 accounts</source>
        <translation>欠款：%1，涉及 %2 户</translation>
    </message>
</context>
<context>
    <name>DayColumn</name>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>No visits</source>
        <translation>无拜访</translation>
    </message>
    <message>
        <source>%1 visits · %2 km
%3 min driving</source>
        <translation>%1 家 · %2 公里
行车 %3 分钟</translation>
    </message>
    <message>
        <source>Out %1–%2</source>
        <translation>外出 %1–%2</translation>
    </message>
</context>
<context>
    <name>DayStopsModel</name>
    <message>
        <source>Lunch %1–%2</source>
        <translation>午休 %1–%2</translation>
    </message>
    <message>
        <source>slack %1′</source>
        <translation>余 %1′</translation>
    </message>
    <message>
        <source>wait %1′</source>
        <translation>等 %1′</translation>
    </message>
    <message>
        <source>Lunch break</source>
        <translation>午休</translation>
    </message>
    <message>
        <source>mandatory</source>
        <translation>必访</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>arrive %1, start %2, leave %3, waiting %4 min, slack %5 min</source>
        <translation>到达 %1，开始 %2，离开 %3，等候 %4 分钟，机动 %5 分钟</translation>
    </message>
    <message>
        <source>Travel %1 min, %2 km</source>
        <translation>路程 %1 分钟，%2 公里</translation>
    </message>
    <message>
        <source>Locked here by you</source>
        <translation>已由您锁定在此</translation>
    </message>
</context>
<context>
    <name>DesktopNotifier</name>
    <message>
        <source>KAMDesk reminders</source>
        <translation>KAMDesk 提醒</translation>
    </message>
</context>
<context>
    <name>ExportController</name>
    <message>
        <source>Save the account dossier</source>
        <translation>保存客户档案</translation>
    </message>
    <message>
        <source>Making the dossier</source>
        <translation>正在生成客户档案</translation>
    </message>
    <message>
        <source>Dossier saved to %1</source>
        <translation>客户档案已保存到 %1</translation>
    </message>
    <message>
        <source>Choose at least one account to export.</source>
        <translation>请至少选择一个要导出的客户。</translation>
    </message>
    <message numerus="yes">
        <source>Choose a folder for %n dossier(s)</source>
        <translation>
            <numerusform>选择保存 %n 份客户档案的文件夹</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) saved in %1</source>
        <translation>
            <numerusform>已在 %1 保存 %n 份客户档案</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Making %n dossier(s)</source>
        <translation>
            <numerusform>正在生成 %n 份客户档案</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the route brief</source>
        <translation>保存线路拜访简报</translation>
    </message>
    <message>
        <source>Making the route brief</source>
        <translation>正在生成线路拜访简报</translation>
    </message>
    <message>
        <source>Route brief saved to %1</source>
        <translation>线路拜访简报已保存到 %1</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %n complete dossier(s) kept.</source>
        <translation>
            <numerusform>已取消：保留了 %n 份完整的客户档案。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>No account has that code.</source>
        <translation>没有该编码的客户。</translation>
    </message>
    <message>
        <source>No plan is saved for that week. Plan it on the This week page first.</source>
        <translation>该周尚未保存拜访计划，请先在“本周”页面排计划。</translation>
    </message>
    <message>
        <source>The plan has no visits on that day.</source>
        <translation>计划中这一天没有拜访。</translation>
    </message>
    <message>
        <source>Write the week as year-W-week, for example 2026-W48.</source>
        <translation>周次请按“年-W周”填写，例如 2026-W48。</translation>
    </message>
    <message>
        <source>That day is not in the chosen week.</source>
        <translation>该日期不在所选的周内。</translation>
    </message>
    <message>
        <source>KAMDesk cannot write there. Choose another folder or file name.</source>
        <translation>无法写入该位置，请选择其他文件夹或文件名。</translation>
    </message>
    <message>
        <source>The Chinese font of the PDFs is missing. Reinstall KAMDesk.</source>
        <translation>缺少 PDF 所用的中文字体，请重新安装 KAMDesk。</translation>
    </message>
    <message>
        <source>The data of this document cannot be laid out.</source>
        <translation>该文档的数据无法排版。</translation>
    </message>
    <message>
        <source>The document could not be laid out.</source>
        <translation>文档排版失败。</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
</context>
<context>
    <name>ExportsPanel</name>
    <message>
        <source>Open an account on the Accounts page first.</source>
        <translation>请先在“客户”页面打开一个客户。</translation>
    </message>
    <message>
        <source>Type an account code.</source>
        <translation>请输入客户编码。</translation>
    </message>
    <message>
        <source>Type account codes separated by commas.</source>
        <translation>请输入客户编码，用逗号分隔。</translation>
    </message>
    <message>
        <source>Whole week</source>
        <translation>整周</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>PDF documents to print or hand over: the account dossier and the route brief of a planned week. They hold trade secrets: keep them in the company.</source>
        <translation>可打印或移交的 PDF 文档：客户档案和已排计划周的线路拜访简报。文档含商业秘密，请勿带出公司。</translation>
    </message>
    <message>
        <source>Document language:</source>
        <translation>文档语言：</translation>
    </message>
    <message>
        <source>Account dossiers</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>Export the open account…</source>
        <translation>导出当前打开的客户…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export to a folder…</source>
        <translation>导出到文件夹…</translation>
    </message>
    <message>
        <source>Accounts in the list…</source>
        <translation>列表中的客户…</translation>
    </message>
    <message>
        <source>All accounts…</source>
        <translation>全部客户…</translation>
    </message>
    <message>
        <source>Open account:</source>
        <translation>当前客户：</translation>
    </message>
    <message>
        <source>Account code:</source>
        <translation>客户编码：</translation>
    </message>
    <message>
        <source>Several codes:</source>
        <translation>多个编码：</translation>
    </message>
    <message>
        <source>In batch:</source>
        <translation>批量导出：</translation>
    </message>
    <message>
        <source>Route brief</source>
        <translation>线路拜访简报</translation>
    </message>
    <message>
        <source>Export the route brief…</source>
        <translation>导出线路拜访简报…</translation>
    </message>
    <message>
        <source>ISO week:</source>
        <translation>周次（ISO）：</translation>
    </message>
    <message>
        <source>Day:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>Exports</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>yuan, e.g. 5000.00</source>
        <translation>单位：元，如 5000.00</translation>
    </message>
    <message>
        <source>separate with commas</source>
        <translation>用逗号分隔</translation>
    </message>
    <message>
        <source>08:00-22:00, or seven days separated by ;</source>
        <translation>08:00-22:00，或用 ; 分隔周一至周日</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>忠诚型</translation>
    </message>
    <message>
        <source>Brand-switching</source>
        <translation>品牌转换型</translation>
    </message>
    <message>
        <source>No brand loyalty</source>
        <translation>无品牌忠诚</translation>
    </message>
    <message>
        <source>Prospect</source>
        <translation>潜在客户</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常经营</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
</context>
<context>
    <name>FollowUpEditor</name>
    <message>
        <source>e.g. bring the new-product price list</source>
        <translation>例如：送新品价目表</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Account card</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Purchase</source>
        <translation>进货</translation>
    </message>
    <message>
        <source>Stock count</source>
        <translation>库存盘点</translation>
    </message>
    <message>
        <source>Sales plan</source>
        <translation>销售计划</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Ordering advice decision</source>
        <translation>订货建议决定</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>added</source>
        <translation>已添加</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <source>tags changed</source>
        <translation>标签已更改</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>status changed</source>
        <translation>状态已更改</translation>
    </message>
    <message>
        <source>conflict resolved</source>
        <translation>冲突已解决</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>已更改</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>小结</translation>
    </message>
    <message>
        <source>Products counted</source>
        <translation>盘点品规数</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>跟进事项</translation>
    </message>
    <message>
        <source>Tags added</source>
        <translation>新增标签</translation>
    </message>
    <message>
        <source>Tags removed</source>
        <translation>移除标签</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>Export history…</source>
        <translation>导出历史记录…</translation>
    </message>
    <message>
        <source>Save this card's history as a CSV file that Excel opens</source>
        <translation>将本档案的历史记录保存为可用 Excel 打开的 CSV 文件</translation>
    </message>
    <message>
        <source>Time (China)</source>
        <translation>时间（北京时间）</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Changes (old → new)</source>
        <translation>变更（原值 → 新值）</translation>
    </message>
    <message>
        <source>%1 change(s), newest first</source>
        <translation>共 %1 条变更，最新的在前</translation>
    </message>
    <message>
        <source>No changes recorded yet.</source>
        <translation>暂无变更记录。</translation>
    </message>
    <message>
        <source>You</source>
        <translation>本人</translation>
    </message>
    <message>
        <source>This laptop</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Server (device %1)</source>
        <translation>服务器（设备 %1）</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>ImportAccountsDialog</name>
    <message>
        <source>Import accounts</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <source>Choose an .xlsx or .csv file (UTF-8 or GBK).</source>
        <translation>请选择 .xlsx 或 .csv 文件（UTF-8 或 GBK 编码）。</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Check file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>Merge duplicates into the existing cards (instead of skipping them)</source>
        <translation>重复客户合并到已有档案（而不是跳过）</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>1. Columns: check which card field each column fills</source>
        <translation>1. 列对应：检查每一列导入到档案的哪个字段</translation>
    </message>
    <message>
        <source>2. Validation report</source>
        <translation>2. 校验报告</translation>
    </message>
    <message>
        <source>Account lists (*.xlsx *.csv)</source>
        <translation>客户名单 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>正在读取 %1</translation>
    </message>
    <message>
        <source>%1: %2 rows</source>
        <translation>%1：%2 行</translation>
    </message>
    <message>
        <source>Check the column mapping, then press Check file.</source>
        <translation>请核对列对应关系，然后点击“检查文件”。</translation>
    </message>
    <message>
        <source>(ignore)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>Two columns are mapped to the same field.</source>
        <translation>有两列对应到了同一个字段。</translation>
    </message>
    <message>
        <source>Checking the file</source>
        <translation>正在检查文件</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found; fix the file and choose it again. Nothing was imported.</source>
        <translation>
            <numerusform>发现 %n 处问题；请修改文件后重新选择。未导入任何数据。</numerusform>
        </translation>
    </message>
    <message>
        <source>Ready: %1 new account(s), %2 already known (same licence or name+address).</source>
        <translation>可以导入：新客户 %1 户，已有客户 %2 户（许可证号或店名+地址相同）。</translation>
    </message>
    <message>
        <source>Importing accounts</source>
        <translation>正在导入客户</translation>
    </message>
    <message>
        <source>Imported: %1 created, %2 merged, %3 unchanged.</source>
        <translation>导入完成：新建 %1 户，合并 %2 户，%3 户无变化。</translation>
    </message>
</context>
<context>
    <name>LanguageDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The new language takes effect when KAMDesk restarts.</source>
        <translation>新的语言在重新启动 KAMDesk 后生效。</translation>
    </message>
    <message>
        <source>Interface language:</source>
        <translation>界面语言：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>KAMDesk — key-account workbench</source>
        <translation>KAMDesk 客户经理工作台</translation>
    </message>
    <message>
        <source> (demo)</source>
        <translation>（演示数据）</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
</context>
<context>
    <name>MapCanvas</name>
    <message>
        <source>Office: every day starts and ends here</source>
        <translation>办公室：每天从这里出发并返回</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>办公室</translation>
    </message>
</context>
<context>
    <name>OrderLinesModel</name>
    <message>
        <source>Product</source>
        <translation>品规</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>建议订量</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Days of cover</source>
        <translation>可售天数</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Database passphrase</source>
        <translation>数据库口令</translation>
    </message>
    <message>
        <source>No system keyring is available. Choose a passphrase to encrypt your data; it cannot be recovered if forgotten.</source>
        <translation>系统钥匙串不可用。请设置一个口令来加密您的数据；口令遗忘后无法找回。</translation>
    </message>
    <message>
        <source>Enter the passphrase of your KAMDesk database.</source>
        <translation>请输入 KAMDesk 数据库口令。</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>再次输入</translation>
    </message>
    <message numerus="yes">
        <source>Use at least %n characters.</source>
        <translation>
            <numerusform>口令至少 %n 个字符。</numerusform>
        </translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>Enter the passphrase.</source>
        <translation>请输入口令。</translation>
    </message>
</context>
<context>
    <name>ProfitPanel</name>
    <message>
        <source>Estimating…</source>
        <translation>正在估算…</translation>
    </message>
    <message>
        <source>Margin = (retail price − wholesale price) × estimated monthly sales, from counted stock and deliveries.</source>
        <translation>毛利 =（零售价 − 批发价）× 估算月销量；销量由盘点库存与进货推算。</translation>
    </message>
    <message>
        <source>Margin could not be estimated: %1</source>
        <translation>无法估算毛利：%1</translation>
    </message>
    <message>
        <source>Estimated monthly gross margin %1 on sales of %2 (%3 %)</source>
        <translation>估算月毛利 %1，月销售额 %2（毛利率 %3%）</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>品规</translation>
    </message>
    <message>
        <source>Monthly margin</source>
        <translation>月毛利</translation>
    </message>
    <message>
        <source>Monthly sales</source>
        <translation>月销售额</translation>
    </message>
    <message>
        <source>Units / month</source>
        <translation>月销量</translation>
    </message>
    <message>
        <source>Share of margin</source>
        <translation>毛利占比</translation>
    </message>
</context>
<context>
    <name>ReminderTableModel</name>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation>提醒事项</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) late</source>
        <translation>
            <numerusform>逾期%n天</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Portfolio dashboard</source>
        <translation>客户组合看板</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to the team server</source>
        <translation>登录团队服务器</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Your password is not stored; the sign-in is kept in this computer's keyring.</source>
        <translation>不会保存密码；登录凭据保存在本机的系统钥匙串中。</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>尝试次数过多，请 %n 分钟后再试。</numerusform>
        </translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your network; you can keep working offline.</source>
        <translation>无法连接服务器。请检查地址和网络；您可以继续离线工作。</translation>
    </message>
    <message>
        <source>The server's security certificate is not valid. Ask your administrator.</source>
        <translation>服务器的安全证书无效，请联系管理员。</translation>
    </message>
    <message>
        <source>This workspace is registered to another user on the server.</source>
        <translation>此工作区已在服务器上登记给其他用户。</translation>
    </message>
    <message>
        <source>This laptop was signed out by an administrator. Ask them to reset its workspace.</source>
        <translation>管理员已注销这台电脑的登录，请联系管理员重置工作区。</translation>
    </message>
    <message>
        <source>This computer has no keyring to keep your sign-in safely.</source>
        <translation>本机没有可安全保存登录凭据的系统钥匙串。</translation>
    </message>
    <message>
        <source>The server refused the sign-in (%1).</source>
        <translation>服务器拒绝了登录（%1）。</translation>
    </message>
    <message>
        <source>Sign-in failed unexpectedly: %1</source>
        <translation>登录意外失败：%1</translation>
    </message>
    <message>
        <source>Enter the server address, e.g. https://sync.example.cn</source>
        <translation>请输入服务器地址，例如 https://sync.example.cn</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>StockCountModel</name>
    <message>
        <source>Product</source>
        <translation>品规</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Last count</source>
        <translation>上次库存</translation>
    </message>
    <message>
        <source>Counted on</source>
        <translation>盘点日期</translation>
    </message>
    <message>
        <source>This count</source>
        <translation>本次库存</translation>
    </message>
</context>
<context>
    <name>SupervisorPanel</name>
    <message>
        <source>Supervisor: reassign an account</source>
        <translation>主管：转移客户</translation>
    </message>
    <message>
        <source>Account code</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>转移</translation>
    </message>
    <message>
        <source>to territory</source>
        <translation>转到片区</translation>
    </message>
    <message>
        <source>Other territories are shown read-only; reassigning moves the account's history.</source>
        <translation>其他片区仅供查看；转移客户会连同其历史记录一起转移。</translation>
    </message>
    <message>
        <source>%1 moved from %2 to %3.</source>
        <translation>%1 已从 %2 转到 %3。</translation>
    </message>
    <message>
        <source>No account with that code on the server.</source>
        <translation>服务器上没有这个编号的客户。</translation>
    </message>
    <message>
        <source>The server cannot be reached; try again when online.</source>
        <translation>无法连接服务器，请联网后重试。</translation>
    </message>
    <message>
        <source>The server refused the reassignment (%1).</source>
        <translation>服务器拒绝了转移（%1）。</translation>
    </message>
</context>
<context>
    <name>SyncIssueModel</name>
    <message>
        <source>Edited on both sides</source>
        <translation>双方都修改过</translation>
    </message>
    <message>
        <source>Back-office field</source>
        <translation>后台维护字段</translation>
    </message>
    <message>
        <source>Deleted on the server</source>
        <translation>已在服务器上删除</translation>
    </message>
    <message>
        <source>Moved to another territory</source>
        <translation>已转移到其他片区</translation>
    </message>
    <message>
        <source>Rejected by the server</source>
        <translation>被服务器拒绝</translation>
    </message>
    <message>
        <source>Changed on the server since you last synced; the later edit won.</source>
        <translation>上次同步后服务器上也改过；以较晚的修改为准。</translation>
    </message>
    <message>
        <source>The back office owns this field; a supervisor decides.</source>
        <translation>此字段由后台维护，需由主管决定。</translation>
    </message>
    <message>
        <source>Moved to %1</source>
        <translation>已转移到 %1</translation>
    </message>
    <message>
        <source>Deleted by %1</source>
        <translation>已被 %1 删除</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>服务器上的值</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>我的值</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Team sync</source>
        <translation>团队同步</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Sync now (F5)</source>
        <translation>立即同步 (F5)</translation>
    </message>
    <message>
        <source>Sync is paused: the server needs a newer KAMDesk. Your local changes are kept safely on this laptop and will be sent after you update.</source>
        <translation>同步已暂停：服务器需要更新版本的 KAMDesk。您的本地修改已安全保存在这台电脑上，更新后会自动上传。</translation>
    </message>
    <message>
        <source>Sync issues</source>
        <translation>同步问题</translation>
    </message>
    <message>
        <source>No sync issues: everything you changed has been accepted.</source>
        <translation>没有同步问题：您的所有修改均已被接受。</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>采用服务器的</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Not signed in. Your work stays on this laptop.</source>
        <translation>未登录。您的数据保存在这台电脑上。</translation>
    </message>
    <message>
        <source>Signed in as %1 on %2</source>
        <translation>已以 %1 身份登录 %2</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Sending your changes: %1 of %2</source>
        <translation>正在上传修改：%1 / %2</translation>
    </message>
    <message>
        <source>Receiving changes: page %1</source>
        <translation>正在接收修改：第 %1 页</translation>
    </message>
    <message>
        <source>Sent %1 change(s), received %2.</source>
        <translation>已上传 %1 项修改，接收 %2 项。</translation>
    </message>
    <message>
        <source>Last successful sync: %1</source>
        <translation>上次成功同步：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n 项修改等待上传</numerusform>
        </translation>
    </message>
    <message>
        <source>first sync not finished yet</source>
        <translation>首次同步尚未完成</translation>
    </message>
    <message>
        <source>Cannot resolve: %1</source>
        <translation>无法处理：%1</translation>
    </message>
    <message>
        <source>Edit the value</source>
        <translation>编辑取值</translation>
    </message>
    <message>
        <source>New value for %1:</source>
        <translation>%1 的新值：</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Click to sync now (F5)</source>
        <translation>点击立即同步 (F5)</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Sync paused: update KAMDesk</source>
        <translation>同步已暂停：请更新 KAMDesk</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>已同步 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n pending change(s)</source>
        <translation>
            <numerusform>%n 项待上传</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sync issue(s)</source>
        <translation>
            <numerusform>%n 个同步问题</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TodayPanel</name>
    <message>
        <source>Done (Space)</source>
        <translation>完成（空格）</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>明天再提醒</translation>
    </message>
    <message>
        <source>Next week</source>
        <translation>下周再提醒</translation>
    </message>
    <message>
        <source>Open account</source>
        <translation>打开客户</translation>
    </message>
    <message>
        <source>Record visit…</source>
        <translation>记录拜访…</translation>
    </message>
    <message>
        <source>Desktop notifications</source>
        <translation>桌面通知</translation>
    </message>
    <message>
        <source>Today, %1</source>
        <translation>今天 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n reminder(s) due</source>
        <translation>
            <numerusform>%n条待办提醒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n overdue</source>
        <translation>
            <numerusform>%n条已逾期</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Planned visits today (%n)</source>
        <translation>
            <numerusform>今日计划拜访（%n家）</numerusform>
        </translation>
    </message>
    <message>
        <source>No visits planned for today</source>
        <translation>今天没有计划拜访</translation>
    </message>
    <message>
        <source>Updating reminders…</source>
        <translation>正在更新提醒…</translation>
    </message>
    <message numerus="yes">
        <source>%n new reminder(s)</source>
        <translation>
            <numerusform>新增%n条提醒</numerusform>
        </translation>
    </message>
    <message>
        <source>Reminders could not be updated: %1</source>
        <translation>提醒更新失败：%1</translation>
    </message>
    <message>
        <source>Select a planned visit or a reminder of an account.</source>
        <translation>请先选择一个计划拜访或某个客户的提醒。</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
</context>
<context>
    <name>TodayStopsModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
</context>
<context>
    <name>VisitFormDialog</name>
    <message>
        <source>Visit — %1 %2</source>
        <translation>拜访 — %1 %2</translation>
    </message>
    <message>
        <source>Start (now)</source>
        <translation>开始（现在）</translation>
    </message>
    <message>
        <source>Finish (now)</source>
        <translation>结束（现在）</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>拜访目的</translation>
    </message>
    <message>
        <source>Type the count and press Enter for the next product; Esc clears a cell.</source>
        <translation>输入数量后按回车跳到下一个品规；Esc 清空当前格。</translation>
    </message>
    <message>
        <source>Shelf display is in order</source>
        <translation>陈列规范</translation>
    </message>
    <message>
        <source>Retail prices follow the guide</source>
        <translation>零售价格执行到位</translation>
    </message>
    <message>
        <source>Out-of-channel goods found</source>
        <translation>发现渠道外烟</translation>
    </message>
    <message>
        <source>Counterfeit goods found</source>
        <translation>发现假冒产品</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>What consumers say about taste, price…</source>
        <translation>消费者对口感、价格等的反馈…</translation>
    </message>
    <message>
        <source>Customer feedback</source>
        <translation>客户反馈</translation>
    </message>
    <message>
        <source>Sell-through</source>
        <translation>动销情况</translation>
    </message>
    <message>
        <source>Re-purchase</source>
        <translation>再购情况</translation>
    </message>
    <message>
        <source>Consumer comments</source>
        <translation>消费者意见</translation>
    </message>
    <message>
        <source>What was done and found at this visit</source>
        <translation>本次拜访所做的工作和发现的情况</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>拜访记录</translation>
    </message>
    <message>
        <source>Follow-ups (become reminders)</source>
        <translation>跟进事项（自动生成提醒）</translation>
    </message>
    <message>
        <source>Save visit</source>
        <translation>保存拜访</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stock count (%1 of %2 products counted)</source>
        <translation>库存盘点（已盘 %1 / 共 %2 个品规）</translation>
    </message>
    <message>
        <source>Discard this visit?</source>
        <translation>放弃本次拜访记录？</translation>
    </message>
    <message>
        <source>The visit has not been saved. Close the form and lose what you entered?</source>
        <translation>拜访记录尚未保存。关闭后已填写的内容将丢失，确定关闭吗？</translation>
    </message>
</context>
<context>
    <name>WeekPage</name>
    <message>
        <source>◀ Previous week</source>
        <translation>◀ 上一周</translation>
    </message>
    <message>
        <source>Next week ▶</source>
        <translation>下一周 ▶</translation>
    </message>
    <message>
        <source>Plan the week</source>
        <translation>排本周路线</translation>
    </message>
    <message>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <source>Skip stop</source>
        <translation>跳过此站</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete 键</translation>
    </message>
    <message>
        <source>Shop closed today</source>
        <translation>今日店铺关门</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>Export .ics</source>
        <translation>导出日历 .ics</translation>
    </message>
    <message>
        <source>Route sheet PDF</source>
        <translation>路线单 PDF</translation>
    </message>
    <message>
        <source>Not planned</source>
        <translation>未排入</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>办公室</translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · 0: fit</source>
        <translation>滚轮缩放 · 拖动平移 · 0 复位</translation>
    </message>
    <message>
        <source>Planning the week</source>
        <translation>正在排本周路线</translation>
    </message>
    <message>
        <source>Re-planning around your change</source>
        <translation>正在按您的调整重新排线</translation>
    </message>
    <message>
        <source>Skipping the stop</source>
        <translation>正在跳过此站</translation>
    </message>
    <message>
        <source>Re-planning the rest</source>
        <translation>正在重排剩余日程</translation>
    </message>
    <message>
        <source>The week cannot be planned</source>
        <translation>无法排出本周路线</translation>
    </message>
    <message>
        <source>Set your home location or start the day at the office.</source>
        <translation>请设置住址，或改为从办公室出发。</translation>
    </message>
    <message>
        <source>Choose at least one working day.</source>
        <translation>请至少选择一个工作日。</translation>
    </message>
    <message>
        <source>The working day must end after it starts.</source>
        <translation>下班时间必须晚于上班时间。</translation>
    </message>
    <message>
        <source>The lunch break does not fit its time window.</source>
        <translation>午休时长超出其时间窗口。</translation>
    </message>
    <message>
        <source>The shop is closed on the day you moved it to.</source>
        <translation>您拖到的那一天该店不营业。</translation>
    </message>
    <message>
        <source>Two appointments overlap.</source>
        <translation>两个预约时间冲突。</translation>
    </message>
    <message>
        <source>The planner could not use this input.</source>
        <translation>排线程序无法使用这些输入。</translation>
    </message>
    <message>
        <source>Week %1 (%2 – %3)</source>
        <translation>第 %1 周（%2 – %3）</translation>
    </message>
    <message>
        <source>Press “Plan the week” (Ctrl+P) to see who is due and the best routes.</source>
        <translation>按“排本周路线”（Ctrl+P）查看本周应拜访的客户和最佳路线。</translation>
    </message>
    <message>
        <source>%1 due · %2 planned · %3 km · %4 min driving · %5 mandatory not placed</source>
        <translation>应访 %1 · 已排 %2 · %3 公里 · 行车 %4 分钟 · 必访未排 %5</translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) broken</source>
        <translation>
            <numerusform>违反 %n 条规则</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not planned (%n)</source>
        <translation>
            <numerusform>未排入（%n）</numerusform>
        </translation>
    </message>
    <message>
        <source>mandatory</source>
        <translation>必访</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Export the week as a calendar</source>
        <translation>将本周导出为日历</translation>
    </message>
    <message>
        <source>Save the route sheet</source>
        <translation>保存路线单</translation>
    </message>
    <message>
        <source>The route sheet could not be saved</source>
        <translation>路线单无法保存</translation>
    </message>
</context>
<context>
    <name>advice</name>
    <message>
        <source>Reorder now</source>
        <translation>及时补货</translation>
    </message>
    <message>
        <source>Overstock</source>
        <translation>库存积压</translation>
    </message>
    <message>
        <source>Missed product</source>
        <translation>漏订品规</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新品投放</translation>
    </message>
    <message>
        <source>Pre-holiday stock</source>
        <translation>节前备货</translation>
    </message>
    <message>
        <source>Slow mover</source>
        <translation>滞销品规</translation>
    </message>
    <message>
        <source>Check count</source>
        <translation>盘点核对</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已采纳</translation>
    </message>
    <message>
        <source>Dismissed</source>
        <translation>已忽略</translation>
    </message>
    <message>
        <source>delisted</source>
        <translation>已退市</translation>
    </message>
    <message>
        <source>allocation quota</source>
        <translation>货源投放限量</translation>
    </message>
    <message>
        <source>credit room</source>
        <translation>信用额度</translation>
    </message>
    <message>
        <source>debt over the credit limit</source>
        <translation>欠款超出额度</translation>
    </message>
    <message>
        <source>need below the pack threshold</source>
        <translation>需求不足一个包装</translation>
    </message>
    <message>
        <source>On hand (est.)</source>
        <translation>现有库存（估）</translation>
    </message>
    <message>
        <source>Forecast per week</source>
        <translation>每周预测</translation>
    </message>
    <message>
        <source>Days of cover</source>
        <translation>可售天数</translation>
    </message>
    <message>
        <source>Lead time (days)</source>
        <translation>到货周期（天）</translation>
    </message>
    <message>
        <source>Weeks of cover</source>
        <translation>可售周数</translation>
    </message>
    <message>
        <source>Overstock above (weeks)</source>
        <translation>积压阈值（周）</translation>
    </message>
    <message>
        <source>Weeks without sales</source>
        <translation>无动销周数</translation>
    </message>
    <message>
        <source>Share of comparable shops selling it</source>
        <translation>同类客户销售占比</translation>
    </message>
    <message>
        <source>Comparable shops</source>
        <translation>同类客户数</translation>
    </message>
    <message>
        <source>Sold it before</source>
        <translation>曾经销售</translation>
    </message>
    <message>
        <source>Price tier (5 = premium)</source>
        <translation>价位档（5 = 高端）</translation>
    </message>
    <message>
        <source>Format fit (2 = best)</source>
        <translation>业态匹配（2 = 最佳）</translation>
    </message>
    <message>
        <source>Placement score</source>
        <translation>投放评分</translation>
    </message>
    <message>
        <source>Loyal owner</source>
        <translation>忠诚客户</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>节日</translation>
    </message>
    <message>
        <source>Days to the holiday</source>
        <translation>距节日天数</translation>
    </message>
    <message>
        <source>Planned pre-holiday demand</source>
        <translation>节前预计需求</translation>
    </message>
    <message>
        <source>Above normal</source>
        <translation>比平时多</translation>
    </message>
    <message>
        <source>Count day</source>
        <translation>盘点日期</translation>
    </message>
    <message>
        <source>Implied sales</source>
        <translation>推算销量</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>备货</translation>
    </message>
    <message>
        <source>Suggested order</source>
        <translation>建议订货</translation>
    </message>
    <message>
        <source>Forecast method</source>
        <translation>预测方法</translation>
    </message>
    <message>
        <source>Protection period (days)</source>
        <translation>保障期（天）</translation>
    </message>
    <message>
        <source>Demand over the period</source>
        <translation>保障期需求</translation>
    </message>
    <message>
        <source>Service level</source>
        <translation>服务水平</translation>
    </message>
    <message>
        <source>Safety stock</source>
        <translation>安全库存</translation>
    </message>
    <message>
        <source>Target stock</source>
        <translation>目标库存</translation>
    </message>
    <message>
        <source>Last count</source>
        <translation>上次盘点</translation>
    </message>
    <message>
        <source>Delivered since the count</source>
        <translation>盘点后到货</translation>
    </message>
    <message>
        <source>Sold since the count (est.)</source>
        <translation>盘点后销量（估）</translation>
    </message>
    <message>
        <source>On order</source>
        <translation>在途</translation>
    </message>
    <message>
        <source>Need before rounding</source>
        <translation>取整前需求</translation>
    </message>
    <message>
        <source>Pack size</source>
        <translation>包装规格</translation>
    </message>
    <message>
        <source>Rounded to packs</source>
        <translation>按包装取整</translation>
    </message>
    <message>
        <source>Caps</source>
        <translation>限制</translation>
    </message>
    <message>
        <source>Holiday factor</source>
        <translation>节日系数</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>计算过程</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>That passphrase is wrong. Try again.</source>
        <translation>口令错误，请重试。</translation>
    </message>
    <message>
        <source>Margin by account</source>
        <translation>客户毛利</translation>
    </message>
    <message>
        <source>Ordering advice</source>
        <translation>订货建议</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>毛利估算</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周拜访</translation>
    </message>
    <message>
        <source>Advice</source>
        <translation>订货建议</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>local, encrypted</source>
        <translation>本地加密</translation>
    </message>
    <message>
        <source>KAMDesk cannot open your data</source>
        <translation>KAMDesk 无法打开您的数据</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>Tobacco &amp; liquor shop</source>
        <translation>烟酒店</translation>
    </message>
    <message>
        <source>Grocery</source>
        <translation>食杂店</translation>
    </message>
    <message>
        <source>Convenience store</source>
        <translation>便利店</translation>
    </message>
    <message>
        <source>Supermarket</source>
        <translation>超市</translation>
    </message>
    <message>
        <source>Department store</source>
        <translation>商场</translation>
    </message>
    <message>
        <source>Entertainment venue</source>
        <translation>娱乐服务</translation>
    </message>
    <message>
        <source>Prospect</source>
        <translation>潜在获取期</translation>
    </message>
    <message>
        <source>Growth</source>
        <translation>成长期</translation>
    </message>
    <message>
        <source>Maturity</source>
        <translation>成熟期</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>衰退期</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>终止期</translation>
    </message>
</context>
<context>
    <name>notifications</name>
    <message numerus="yes">
        <source>%n reminder(s) due today: </source>
        <translation>
            <numerusform>今天有%n条提醒：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> 等，另有%n条</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>reminder_labels</name>
    <message>
        <source>Callback</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Holiday greeting</source>
        <translation>节日问候</translation>
    </message>
    <message>
        <source>Holiday stock plan</source>
        <translation>节前备货</translation>
    </message>
    <message>
        <source>Licence expiry</source>
        <translation>许可证到期</translation>
    </message>
    <message>
        <source>Debt collection</source>
        <translation>欠款催收</translation>
    </message>
    <message>
        <source>Reorder</source>
        <translation>补货</translation>
    </message>
    <message>
        <source>Prospect contact</source>
        <translation>潜在客户联系</translation>
    </message>
    <message>
        <source>Customer contact</source>
        <translation>客户联系</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <source>Server unreachable</source>
        <translation>无法连接服务器</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>请重新登录</translation>
    </message>
    <message>
        <source>The server refused sync</source>
        <translation>服务器拒绝了同步</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>同步失败</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>visit_labels</name>
    <message>
        <source>Routine visit</source>
        <translation>例行拜访</translation>
    </message>
    <message>
        <source>Special visit</source>
        <translation>特殊拜访</translation>
    </message>
    <message>
        <source>Retention visit</source>
        <translation>挽留拜访</translation>
    </message>
    <message>
        <source>Debt collection</source>
        <translation>催收欠款</translation>
    </message>
    <message>
        <source>Complaint handling</source>
        <translation>处理投诉</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新品推介</translation>
    </message>
    <message>
        <source>Prospecting</source>
        <translation>开发潜在客户</translation>
    </message>
    <message>
        <source>Senior management visit</source>
        <translation>高层拜访</translation>
    </message>
    <message>
        <source>— not asked —</source>
        <translation>— 未询问 —</translation>
    </message>
    <message>
        <source>Selling fast</source>
        <translation>动销快</translation>
    </message>
    <message>
        <source>Selling normally</source>
        <translation>动销一般</translation>
    </message>
    <message>
        <source>Selling slowly</source>
        <translation>动销慢</translation>
    </message>
    <message>
        <source>Customers come back often</source>
        <translation>回头客多</translation>
    </message>
    <message>
        <source>Some come back</source>
        <translation>有一些回头客</translation>
    </message>
    <message>
        <source>Few come back</source>
        <translation>回头客少</translation>
    </message>
</context>
</TS>