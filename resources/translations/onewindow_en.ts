<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <source>【{0}】</source>
        <translation>[{0}]</translation>
    </message>
    <message>
        <source>工作台（任何位置）</source>
        <translation>Desk (anywhere)</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>已选事项列表</source>
        <translation>Chosen matters</translation>
    </message>
    <message>
        <source>材料清单</source>
        <translation>Materials checklist</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>补正材料窗口</source>
        <translation>Supplement window</translation>
    </message>
    <message>
        <source>取号机</source>
        <translation>Ticket kiosk</translation>
    </message>
    <message>
        <source>显示/隐藏快捷键说明</source>
        <translation>Show/hide shortcut help</translation>
    </message>
    <message>
        <source>叫号</source>
        <translation>Call</translation>
    </message>
    <message>
        <source>重呼</source>
        <translation>Recall</translation>
    </message>
    <message>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>转移</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>暂停/恢复</source>
        <translation>Pause/resume</translation>
    </message>
    <message>
        <source>叫指定号</source>
        <translation>Call a ticket</translation>
    </message>
    <message>
        <source>下一位（办结并叫号）</source>
        <translation>Next: finish and call</translation>
    </message>
    <message>
        <source>大厅设置…</source>
        <translation>Hall settings…</translation>
    </message>
    <message>
        <source>日终关闭排队…</source>
        <translation>Close the day&apos;s queue…</translation>
    </message>
    <message>
        <source>打印机设置…</source>
        <translation>Printers…</translation>
    </message>
    <message>
        <source>中心库设置…</source>
        <translation>Central store…</translation>
    </message>
    <message>
        <source>票据打印机设置…</source>
        <translation>Ticket printer…</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>关于 OneWindow</source>
        <translation>About OneWindow</translation>
    </message>
    <message>
        <source>保存并打印</source>
        <translation>Save and print</translation>
    </message>
    <message>
        <source>保存并预览打印</source>
        <translation>Save and preview the papers</translation>
    </message>
    <message>
        <source>打印未打印的文书</source>
        <translation>Print the papers not printed</translation>
    </message>
    <message>
        <source>查找事项</source>
        <translation>Find matter</translation>
    </message>
    <message>
        <source>申请人已签署容缺承诺书（勾选/取消）</source>
        <translation>Applicant signed the gap commitment (tick/untick)</translation>
    </message>
    <message>
        <source>填写不予受理的原因</source>
        <translation>Enter the reason for rejection</translation>
    </message>
    <message>
        <source>负责人批准改变决定</source>
        <translation>Manager approves a changed decision</translation>
    </message>
    <message>
        <source>新办件</source>
        <translation>New case</translation>
    </message>
    <message>
        <source>显示完整证件号码和电话（将被记录）</source>
        <translation>Show the full ID and phone numbers (recorded)</translation>
    </message>
    <message>
        <source>移除所选事项</source>
        <translation>Remove chosen matter</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>送达办结</source>
        <translation>Hand over result</translation>
    </message>
    <message>
        <source>登记补齐</source>
        <translation>Record supplied</translation>
    </message>
    <message>
        <source>其余材料全部按要求收齐</source>
        <translation>All remaining materials received as required</translation>
    </message>
    <message>
        <source>份数加一</source>
        <translation>One more copy</translation>
    </message>
    <message>
        <source>份数减一</source>
        <translation>One copy fewer</translation>
    </message>
</context>
<context>
    <name>ApplicantForm</name>
    <message>
        <source>个人</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>申请人类型：个人</source>
        <translation>Applicant type: person</translation>
    </message>
    <message>
        <source>法人或其他组织</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>申请人类型：法人或其他组织</source>
        <translation>Applicant type: legal person or other organisation</translation>
    </message>
    <message>
        <source>申请人姓名</source>
        <translation>Applicant name</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>%1含有不允许的字符：%2</source>
        <translation>%1 contains characters not allowed: %2</translation>
    </message>
    <message>
        <source>还差%1位</source>
        <translation>%1 more digits</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>代理人办理</source>
        <translation>By agent</translation>
    </message>
    <message>
        <source>由代理人办理</source>
        <translation>Handled by an agent</translation>
    </message>
    <message>
        <source>代理人姓名</source>
        <translation>Agent name</translation>
    </message>
    <message>
        <source>代理人身份证号码</source>
        <translation>Agent ID number</translation>
    </message>
    <message>
        <source>代理人联系电话（可不填）</source>
        <translation>Agent phone (optional)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>代理人身份证</source>
        <translation>Agent ID</translation>
    </message>
    <message>
        <source>代理人电话</source>
        <translation>Agent phone</translation>
    </message>
    <message>
        <source>输入提示</source>
        <translation>Input hint</translation>
    </message>
    <message>
        <source>显示完整号码</source>
        <translation>Show full numbers</translation>
    </message>
    <message>
        <source>显示完整的证件号码和电话（将被记录）</source>
        <translation>Show the full ID and phone numbers (recorded)</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>经办人联系电话（可不填）</source>
        <translation>Contact phone (optional)</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>经办人姓名</source>
        <translation>Contact name</translation>
    </message>
    <message>
        <source>请填写%1</source>
        <translation>Please fill in the %1</translation>
    </message>
    <message>
        <source>经办人身份证号码</source>
        <translation>Contact ID number</translation>
    </message>
    <message>
        <source>经办人电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>经办人身份证</source>
        <translation>Contact ID</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Social credit code</translation>
    </message>
</context>
<context>
    <name>CaseList</name>
    <message>
        <source>办件列表</source>
        <translation>Case list</translation>
    </message>
    <message>
        <source>筛选办件</source>
        <translation>Filter cases</translation>
    </message>
    <message>
        <source>按办件编号、身份证号码或姓名筛选</source>
        <translation>Filter by case no., ID number or name</translation>
    </message>
    <message>
        <source>只看未办结</source>
        <translation>Open only</translation>
    </message>
    <message>
        <source>只看未办结的办件</source>
        <translation>Show only cases not yet finished</translation>
    </message>
    <message>
        <source>补齐 / 补正…</source>
        <translation>Supplement…</translation>
    </message>
    <message>
        <source>补打文书</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>更多…</source>
        <translation>More…</translation>
    </message>
    <message>
        <source>列出 %1 件，超期 %2 件，临期 %3 件</source>
        <translation>%1 listed, %2 overdue, %3 due soon</translation>
    </message>
    <message>
        <source>已送达：%1</source>
        <translation>Handed over: %1</translation>
    </message>
    <message>
        <source>请先选择办件</source>
        <translation>Select a case first</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Matters</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>收件时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>到期日</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>待补</source>
        <translation>Gaps</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>CasePanel</name>
    <message>
        <source>%1 已打印，但未能记录：%2</source>
        <translation>%1 printed but not recorded: %2</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>未叫号（窗口直接受理）</source>
        <translation>No ticket (walk-in at the window)</translation>
    </message>
    <message>
        <source>补齐 / 补正…</source>
        <translation>Supplement…</translation>
    </message>
    <message>
        <source>查找办件，登记补齐或补正后重新受理</source>
        <translation>Find a case to record supplied gaps or re-accept after correction</translation>
    </message>
    <message>
        <source>清空，开始新的办件</source>
        <translation>Clear and start a new case</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>已选事项（Delete 移除）</source>
        <translation>Chosen matters (Delete removes)</translation>
    </message>
    <message>
        <source>清空事项</source>
        <translation>Clear matters</translation>
    </message>
    <message>
        <source>清空已选事项</source>
        <translation>Clear the chosen matters</translation>
    </message>
    <message>
        <source>已选：</source>
        <translation>Chosen:</translation>
    </message>
    <message>
        <source>办理事项（Ctrl+F 搜索，回车选择）</source>
        <translation>Matters (Ctrl+F to search, Enter to choose)</translation>
    </message>
    <message>
        <source>材料核对</source>
        <translation>Materials check</translation>
    </message>
    <message>
        <source>负责人批准改变决定…</source>
        <translation>Manager override…</translation>
    </message>
    <message>
        <source>清空后开始新的办件？</source>
        <translation>Clear it and start a new case?</translation>
    </message>
    <message>
        <source>正在服务：%1号</source>
        <translation>Serving: ticket %1</translation>
    </message>
    <message>
        <source>正在载入事项目录…</source>
        <translation>Loading the matter catalogue…</translation>
    </message>
    <message>
        <source>正在服务：未知号码</source>
        <translation>Serving: unknown ticket</translation>
    </message>
    <message>
        <source>已办结的号的办件尚未保存；按 %1 清空</source>
        <translation>The case of the ticket just ended is not saved; press %1 to clear it</translation>
    </message>
    <message>
        <source>办件%1不是一次性告知的办件，不能补正后重新受理</source>
        <translation>Case %1 had no one-time notice; it cannot be re-accepted after correction</translation>
    </message>
    <message>
        <source>补正后重新受理，原办件 %1（已收材料及“不适用”的判断已带入）</source>
        <translation>Re-accepting after correction, original case %1 (received materials and “not applicable” judgements carried over)</translation>
    </message>
    <message>
        <source>该事项已选择</source>
        <translation>Matter already chosen</translation>
    </message>
    <message>
        <source>【一件事】</source>
        <translation>[Bundle] </translation>
    </message>
    <message>
        <source>请选择办理事项</source>
        <translation>Choose the matters</translation>
    </message>
    <message>
        <source>在上方搜索并选择事项或一件事，材料清单随即列出。</source>
        <translation>Search above and choose a matter or bundle; its materials are listed at once.</translation>
    </message>
    <message>
        <source>需要改正</source>
        <translation>Needs correcting</translation>
    </message>
    <message>
        <source>（规则的决定：%1）</source>
        <translation> (rule&apos;s decision: %1)</translation>
    </message>
    <message>
        <source>• 承诺办结日期：%1</source>
        <translation>• Promised finish date: %1</translation>
    </message>
    <message>
        <source>%Y年%m月%d日</source>
        <translation>%Y-%m-%d</translation>
    </message>
    <message>
        <source>还有%1项材料未核对（暂按未提供计）：%2</source>
        <translation>%1 materials not yet checked (counted as missing for now): %2</translation>
    </message>
    <message>
        <source>所选事项没有可容缺的材料，无需容缺承诺</source>
        <translation>The chosen matters have no tolerable materials: no gap commitment is needed</translation>
    </message>
    <message>
        <source>请先选择事项并核对材料，再由负责人改变决定</source>
        <translation>Choose the matters and check the materials before a manager changes the decision</translation>
    </message>
    <message>
        <source>放弃正在录入的办件？</source>
        <translation>Discard the case being entered?</translation>
    </message>
    <message>
        <source>正在录入的办件尚未保存。%1</source>
        <translation>The case being entered is not saved. %1</translation>
    </message>
    <message>
        <source>放弃录入</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>继续录入</source>
        <translation>Keep entering</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>文书未打印：%1。按 %2 打印</source>
        <translation>Papers not printed: %1. Press %2 to print them</translation>
    </message>
    <message>
        <source>没有未打印的文书</source>
        <translation>No papers left to print</translation>
    </message>
    <message>
        <source>撤销负责人改变的决定</source>
        <translation>Undo manager override</translation>
    </message>
    <message>
        <source>材料清单正在载入，请稍候</source>
        <translation>The materials checklist is loading, one moment</translation>
    </message>
    <message>
        <source>请先选择办理事项</source>
        <translation>Choose the matters first</translation>
    </message>
    <message>
        <source>申请人信息有误，请按输入框旁的提示改正</source>
        <translation>Applicant details have errors; correct them as the hints beside the fields say</translation>
    </message>
    <message>
        <source>还有%1项材料未核对：%2</source>
        <translation>%1 materials not yet checked: %2</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已保存：办件编号 %1（%2）</source>
        <translation>Saved: case no. %1 (%2)</translation>
    </message>
    <message>
        <source>文书未能生成</source>
        <translation>Documents not produced</translation>
    </message>
    <message>
        <source>办件已保存，编号 %1。
但文书未能生成：%2
请在办件列表中补打。</source>
        <translation>The case is saved as %1.
But its documents could not be produced: %2
Reprint them from the case list.</translation>
    </message>
</context>
<context>
    <name>CentralSettingsDialog</name>
    <message>
        <source>中心库设置</source>
        <translation>Central store</translation>
    </message>
    <message>
        <source>留空则保留已保存的凭据</source>
        <translation>Leave empty to keep the saved token</translation>
    </message>
    <message>
        <source>大厅 CA 证书文件（PEM）；留空则保留已保存的</source>
        <translation>The hall&apos;s CA certificate file (PEM); leave empty to keep the saved one</translation>
    </message>
    <message>
        <source>中心库地址</source>
        <translation>Central store address</translation>
    </message>
    <message>
        <source>本工作台凭据</source>
        <translation>This desk&apos;s token</translation>
    </message>
    <message>
        <source>CA 证书</source>
        <translation>CA certificate</translation>
    </message>
    <message>
        <source>中心库地址应以 http:// 或 https:// 开头，如 https://central.example.gov.cn:8765</source>
        <translation>The central store&apos;s address starts with http:// or https://, e.g. https://central.example.gov.cn:8765</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <source>空格</source>
        <translation>Space</translation>
    </message>
    <message>
        <source>按要求收齐</source>
        <translation>As required</translation>
    </message>
    <message>
        <source>原件核验</source>
        <translation>Original checked</translation>
    </message>
    <message>
        <source>原件收取</source>
        <translation>Original kept</translation>
    </message>
    <message>
        <source>复印件</source>
        <translation>Copies</translation>
    </message>
    <message>
        <source>电子证照</source>
        <translation>E-licence</translation>
    </message>
    <message>
        <source>缺</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>容缺</source>
        <translation>Gap</translation>
    </message>
    <message>
        <source>有误</source>
        <translation>Defective</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <source>必需</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>视情形</source>
        <translation>If applicable</translation>
    </message>
    <message>
        <source>可选</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>+/- 份数</source>
        <translation>+/- copies</translation>
    </message>
    <message>
        <source>Shift+空格 其余全部按要求收齐</source>
        <translation>Shift+Space All remaining as required</translation>
    </message>
    <message>
        <source>&#x3000;</source>
        <translation>  ·  </translation>
    </message>
    <message>
        <source>未核对</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>%1 %2份</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1，复印件%2份</source>
        <translation>%1, copies: %2</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>要求</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>份数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <source>必要性</source>
        <translation>Need</translation>
    </message>
    <message>
        <source>所需事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>（可容缺）</source>
        <translation> (gap allowed)</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>适用情形：</source>
        <translation>Applies when: </translation>
    </message>
    <message>
        <source>获取方式：</source>
        <translation>How to obtain: </translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message>
        <source>材料核对清单</source>
        <translation>Materials checklist</translation>
    </message>
    <message>
        <source>材料有误的原因</source>
        <translation>Why the material is defective</translation>
    </message>
    <message>
        <source>材料有误</source>
        <translation>Defective material</translation>
    </message>
    <message>
        <source>「%1」不符合要求的原因：</source>
        <translation>Why “%1” does not meet the requirements:</translation>
    </message>
</context>
<context>
    <name>ClerksModel</name>
    <message>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>窗口工作人员</source>
        <translation>Window clerk</translation>
    </message>
    <message>
        <source>大厅负责人</source>
        <translation>Hall manager</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>程序出现意外错误。已保存的数据不受影响，可以继续办理；请把详情告知信息中心。</source>
        <translation>An unexpected error occurred. Saved data is not affected and you can carry on; please send the details to the IT centre.</translation>
    </message>
    <message>
        <source>日志文件：%1</source>
        <translation>Log file: %1</translation>
    </message>
</context>
<context>
    <name>DayEndDialog</name>
    <message>
        <source>日终关闭排队</source>
        <translation>Close the day&apos;s queue</translation>
    </message>
    <message>
        <source>等候中（含过号）的 %1 个号将关闭为未办理。</source>
        <translation>%1 ticket(s) waiting (including passed) will be closed as not served.</translation>
    </message>
    <message>
        <source>已叫号、尚未开始办理的 %1 个号将关闭为未办理。</source>
        <translation>%1 ticket(s) called but not yet served will be closed as not served.</translation>
    </message>
    <message>
        <source>没有正在办理的号。</source>
        <translation>No ticket is in service.</translation>
    </message>
    <message>
        <source>正在办理的 %1 个号：勾选的窗口结束办理，其余继续办理。</source>
        <translation>%1 ticket(s) in service: service ends at the windows ticked, the others carry on.</translation>
    </message>
    <message>
        <source>结束本窗口（%1号）正在办理的 %2</source>
        <translation>End the service of %2 at this window (%1)</translation>
    </message>
    <message>
        <source>结束 %1号窗口 正在办理的 %2</source>
        <translation>End the service of %2 at window %1</translation>
    </message>
    <message>
        <source>关闭原因(&amp;R)：</source>
        <translation>&amp;Reason for closing:</translation>
    </message>
    <message>
        <source>下班时间已到，当日未能办理</source>
        <translation>Closing time; not served today</translation>
    </message>
    <message>
        <source>关闭排队</source>
        <translation>Close the queue</translation>
    </message>
    <message>
        <source>请填写关闭原因</source>
        <translation>Please give a reason for closing</translation>
    </message>
</context>
<context>
    <name>DecisionActions</name>
    <message>
        <source>申请人已签署容缺承诺书</source>
        <translation>Applicant signed the gap commitment</translation>
    </message>
    <message>
        <source>不予受理的原因</source>
        <translation>Reason for rejection</translation>
    </message>
    <message>
        <source>不予受理时填写理由</source>
        <translation>Reason, when rejecting</translation>
    </message>
    <message>
        <source>不予受理的情形</source>
        <translation>Ground of the rejection</translation>
    </message>
    <message>
        <source>不属于本机关职权范围</source>
        <translation>Not within this organ&apos;s competence</translation>
    </message>
    <message>
        <source>其他情形</source>
        <translation>Other ground</translation>
    </message>
    <message>
        <source>告知申请人向其申请的机关</source>
        <translation>Organ the applicant is referred to</translation>
    </message>
    <message>
        <source>应向哪个机关申请</source>
        <translation>Organ to apply to</translation>
    </message>
    <message>
        <source>目录中没有的申请事项</source>
        <translation>Request not in the catalogue</translation>
    </message>
    <message>
        <source>目录中没有的事项，写明申请人要办的事</source>
        <translation>Request not in the catalogue</translation>
    </message>
    <message>
        <source>负责人批准改变决定…</source>
        <translation>Manager override…</translation>
    </message>
    <message>
        <source>负责人批准改变受理决定</source>
        <translation>Manager override of the decision</translation>
    </message>
    <message>
        <source>保存并打印</source>
        <translation>Save and print</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
</context>
<context>
    <name>DecisionView</name>
    <message>
        <source>受理决定（随核对实时更新）</source>
        <translation>Decision (updates as you check)</translation>
    </message>
    <message>
        <source>受理决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>决定的理由</source>
        <translation>Reasons for the decision</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <source>未指定窗口</source>
        <translation>No window set</translation>
    </message>
    <message>
        <source>工作人员：%1</source>
        <translation>Clerk: %1</translation>
    </message>
    <message>
        <source>目录版本：%1</source>
        <translation>Catalogue: %1</translation>
    </message>
    <message>
        <source>未导入</source>
        <translation>not imported</translation>
    </message>
    <message>
        <source>（演示数据）</source>
        <translation> (demo data)</translation>
    </message>
    <message>
        <source>● 单机运行</source>
        <translation>● Standalone</translation>
    </message>
    <message>
        <source>未配置中心库，数据只保存在本机</source>
        <translation>No central database configured; data is kept on this PC only</translation>
    </message>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>已连接中心库</source>
        <translation>Connected to the central database</translation>
    </message>
    <message>
        <source>● 离线</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <source>中心库不可达：继续在本机办理，恢复后自动同步</source>
        <translation>Central database unreachable: keep working locally; it syncs when back</translation>
    </message>
</context>
<context>
    <name>DeskSync</name>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>正在同步 %v/%m</source>
        <translation>Syncing %v/%m</translation>
    </message>
    <message>
        <source>待同步 %1 条</source>
        <translation>%1 waiting to sync</translation>
    </message>
    <message>
        <source>上次同步 %1</source>
        <translation>Last sync %1</translation>
    </message>
    <message>
        <source>本机时钟与中心库相差约 %1 分钟，请校准本机时间</source>
        <translation>This computer&apos;s clock is about %1 minutes off the central store&apos;s; please set the time</translation>
    </message>
    <message>
        <source>有 %1 条操作被中心库拒绝，已保留在本机</source>
        <translation>%1 operations were refused by the central store and are kept on this desk</translation>
    </message>
</context>
<context>
    <name>FoundCasesModel</name>
    <message>
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Matters</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>收件日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>HallDisplay</name>
    <message>
        <source>叫号显示屏</source>
        <translation>Queue display</translation>
    </message>
    <message>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>中心库未连接：显示本机数据</source>
        <translation>Central store unreachable: showing this machine&apos;s data</translation>
    </message>
    <message>
        <source>（离线号）</source>
        <translation> (offline ticket)</translation>
    </message>
    <message>
        <source>请 {0} 号
到 {1} 号窗口{2}</source>
        <translation>Ticket {0}
to Window {1}{2}</translation>
    </message>
    <message>
        <source>{0}  →  {1}号窗口{2}</source>
        <translation>{0}  →  Window {1}{2}</translation>
    </message>
    <message>
        <source>请取号等候
留意屏幕叫号</source>
        <translation>Please take a ticket
and watch for your number</translation>
    </message>
    <message>
        <source>最新叫号</source>
        <translation>Latest calls</translation>
    </message>
    <message>
        <source>{0} 人</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>yyyy年M月d日 dddd HH:mm:ss</source>
        <translation>dddd d MMMM yyyy  HH:mm:ss</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>工作台已锁定：请本人输入密码或PIN</source>
        <translation>The desk is locked: the same person enters their password or PIN</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <source>老年人</source>
        <translation>Elderly</translation>
    </message>
    <message>
        <source>孕妇</source>
        <translation>Pregnant</translation>
    </message>
    <message>
        <source>残疾人</source>
        <translation>Disability</translation>
    </message>
    <message>
        <source>军人</source>
        <translation>Service member</translation>
    </message>
    <message>
        <source>取号机</source>
        <translation>Ticket kiosk</translation>
    </message>
    <message>
        <source>请选择要办理的业务</source>
        <translation>Please choose your service</translation>
    </message>
    <message>
        <source>预约签到</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>身份证号（可刷卡，可不填）</source>
        <translation>ID number (swipe card, optional)</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>您前面还有 {0} 人等候</source>
        <translation>{0} people ahead of you</translation>
    </message>
    <message>
        <source>优先号</source>
        <translation>Priority ticket</translation>
    </message>
    <message>
        <source>离线号：请留意窗口叫号</source>
        <translation>Offline ticket: listen for the window calling you</translation>
    </message>
    <message>
        <source>请留意大厅屏幕和语音叫号</source>
        <translation>Please watch the hall screen and listen for your number</translation>
    </message>
    <message>
        <source>号票未打印，请记住您的号码</source>
        <translation>Ticket not printed: please remember your number</translation>
    </message>
    <message>
        <source>正在打印号票…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <source>号票未能打印，请记住您的号码</source>
        <translation>The ticket could not be printed; please remember your number</translation>
    </message>
    <message>
        <source>请取走号票</source>
        <translation>Please take your ticket</translation>
    </message>
</context>
<context>
    <name>KioskRatingPage</name>
    <message>
        <source>返回取号</source>
        <translation>Back to taking a ticket</translation>
    </message>
</context>
<context>
    <name>Kpi</name>
    <message>
        <source>取号数</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>所选时段内各日取号的张数（按大厅所在时区的日期计）；转移的号只算一张。</source>
        <translation>Tickets taken on the days of the period (days in the hall&apos;s time zone); a transferred ticket counts once.</translation>
    </message>
    <message>
        <source>办结数</source>
        <translation>Served</translation>
    </message>
    <message>
        <source>状态为已办结的号数。</source>
        <translation>Tickets whose service was finished.</translation>
    </message>
    <message>
        <source>过号数</source>
        <translation>No-shows</translation>
    </message>
    <message>
        <source>叫号后未到窗口、当日也未再办理的号数。</source>
        <translation>Tickets called whose holder did not come to the window and was not served later that day.</translation>
    </message>
    <message>
        <source>过号率</source>
        <translation>No-show rate</translation>
    </message>
    <message>
        <source>过号数 ÷ 取号数。</source>
        <translation>No-shows ÷ tickets.</translation>
    </message>
    <message>
        <source>未叫号数</source>
        <translation>Never called</translation>
    </message>
    <message>
        <source>从取号到当日结束一直未被叫到的号数（含仍在等候的号）。</source>
        <translation>Tickets never called from issue to the day&apos;s end (including those still waiting).</translation>
    </message>
    <message>
        <source>平均等候时长</source>
        <translation>Mean wait</translation>
    </message>
    <message>
        <source>取号到首次叫号的时长（分钟）的平均值，只计已叫号的号。</source>
        <translation>Mean time (minutes) from issue to first call, over the tickets called.</translation>
    </message>
    <message>
        <source>等候时长中位数</source>
        <translation>Median wait</translation>
    </message>
    <message>
        <source>取号到首次叫号时长的中位数（分钟）。</source>
        <translation>Median time (minutes) from issue to first call.</translation>
    </message>
    <message>
        <source>等候时长90%分位</source>
        <translation>90th percentile wait</translation>
    </message>
    <message>
        <source>90% 的号在此时长（分钟）内被叫到：把已叫号的等候时长从小到大排，第 ⌈0.9n⌉ 个。</source>
        <translation>90% of the tickets were called within this many minutes: the ⌈0.9n⌉-th of the waits in ascending order.</translation>
    </message>
    <message>
        <source>平均走到窗口时长</source>
        <translation>Mean walking time</translation>
    </message>
    <message>
        <source>叫号到开始办理的时长（分钟）的平均值；转移过的号不计。</source>
        <translation>Mean time (minutes) from the call to the start of service; transferred tickets left out.</translation>
    </message>
    <message>
        <source>平均办理时长</source>
        <translation>Mean service time</translation>
    </message>
    <message>
        <source>开始办理到办结的时长（分钟）的平均值。</source>
        <translation>Mean time (minutes) from the start of service to its end.</translation>
    </message>
    <message>
        <source>办理时长中位数</source>
        <translation>Median service time</translation>
    </message>
    <message>
        <source>开始办理到办结时长的中位数（分钟）。</source>
        <translation>Median time (minutes) from the start of service to its end.</translation>
    </message>
    <message>
        <source>办理时长90%分位</source>
        <translation>90th percentile service time</translation>
    </message>
    <message>
        <source>办理时长从小到大排，第 ⌈0.9n⌉ 个（分钟）。</source>
        <translation>The ⌈0.9n⌉-th service time in ascending order (minutes).</translation>
    </message>
    <message>
        <source>超时等候占比</source>
        <translation>Share waiting over target</translation>
    </message>
    <message>
        <source>等候超过大厅目标时长的号 ÷ 取号数；未叫到的号按取号到当日结束（或现在）计算等候。</source>
        <translation>Tickets that waited longer than the hall&apos;s target ÷ tickets; a ticket never called waited from issue to the day&apos;s end (or now).</translation>
    </message>
    <message>
        <source>容缺受理件数</source>
        <translation>Cases accepted with gaps</translation>
    </message>
    <message>
        <source>所选时段内受理、决定为容缺受理的办件数。</source>
        <translation>Cases received in the period and accepted with gaps.</translation>
    </message>
    <message>
        <source>容缺逾期件数</source>
        <translation>Gap cases overdue</translation>
    </message>
    <message>
        <source>这些办件中，有容缺材料过了补齐期限仍未补齐、或逾期才补齐的件数。</source>
        <translation>Of these, cases with a gap material not supplied by its deadline (still missing, or supplied late).</translation>
    </message>
    <message>
        <source>逾期未补齐件数</source>
        <translation>Gaps still missing past deadline</translation>
    </message>
    <message>
        <source>容缺材料已过期限、至今仍未补齐的办件数。</source>
        <translation>Cases with a gap material past its deadline and still not supplied.</translation>
    </message>
    <message>
        <source>评价数</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <source>所选时段内的号收到的好差评数。</source>
        <translation>Ratings given for the period&apos;s tickets.</translation>
    </message>
    <message>
        <source>平均评分</source>
        <translation>Mean rating</translation>
    </message>
    <message>
        <source>非常满意=5 … 非常不满意=1 的平均分。</source>
        <translation>Mean score, very satisfied = 5 … very dissatisfied = 1.</translation>
    </message>
    <message>
        <source>差评数</source>
        <translation>Bad ratings</translation>
    </message>
    <message>
        <source>不满意和非常不满意的评价数。</source>
        <translation>Ratings of dissatisfied or very dissatisfied.</translation>
    </message>
    <message>
        <source>待回访差评</source>
        <translation>Bad ratings to follow up</translation>
    </message>
    <message>
        <source>标记为需要回访的差评数。</source>
        <translation>Bad ratings marked for follow-up.</translation>
    </message>
    <message>
        <source>办件（申请）数</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>所选时段内首次受理的申请数：补正后重新提交的办件与原办件算同一申请。</source>
        <translation>Applications first received in the period: a case restarted after a notice counts with the original as one application.</translation>
    </message>
    <message>
        <source>每件跑动次数</source>
        <translation>Visits per application</translation>
    </message>
    <message>
        <source>每件申请（含补正、补齐）来大厅的次数（取号次数）的平均值。</source>
        <translation>Mean number of visits (tickets) per application, returns and supplements included.</translation>
    </message>
    <message>
        <source>只跑一次率</source>
        <translation>One-visit rate</translation>
    </message>
    <message>
        <source>已办结（受理、容缺受理或不予受理）的申请中，最多来一次大厅就办成的比例。</source>
        <translation>Of the settled applications (accepted, accepted with gaps or rejected), the share settled with at most one visit.</translation>
    </message>
    <message>
        <source>开放窗口数</source>
        <translation>Windows open</translation>
    </message>
    <message>
        <source>该小时内叫过号的窗口数（按日平均）。</source>
        <translation>Windows that called a ticket in that hour (daily mean).</translation>
    </message>
    <message>
        <source>建议窗口数</source>
        <translation>Windows needed</translation>
    </message>
    <message>
        <source>按 Erlang C 排队模型，以该小时的平均到达数和平均办理时长，使平均等候不超过目标所需的最少窗口数。</source>
        <translation>The fewest windows that keep the wait within the target (Erlang C queue model), from the hour&apos;s mean arrivals and the mean service time.</translation>
    </message>
    <message>
        <source>到达数</source>
        <translation>Arrivals</translation>
    </message>
    <message>
        <source>该小时内取号的张数（按日平均或合计）。</source>
        <translation>Tickets taken in that hour (daily mean or total).</translation>
    </message>
    <message>
        <source>平均等候（分钟）</source>
        <translation>Mean wait (min)</translation>
    </message>
    <message>
        <source>等候90%分位（分钟）</source>
        <translation>90th pct wait (min)</translation>
    </message>
    <message>
        <source>平均办理（分钟）</source>
        <translation>Mean service (min)</translation>
    </message>
    <message>
        <source>超时等候数</source>
        <translation>Over target</translation>
    </message>
    <message>
        <source>（转移后未再叫号）</source>
        <translation>(transferred, not called again)</translation>
    </message>
    <message>
        <source>全厅</source>
        <translation>Whole hall</translation>
    </message>
    <message>
        <source>各窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>KPIs</translation>
    </message>
    <message>
        <source>指标代码</source>
        <translation>KPI code</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>各时段与窗口建议</source>
        <translation>Hours and staffing</translation>
    </message>
    <message>
        <source>时段</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>到达数（日均）</source>
        <translation>Arrivals (daily mean)</translation>
    </message>
    <message>
        <source>办结数（日均）</source>
        <translation>Served (daily mean)</translation>
    </message>
    <message>
        <source>事项办件量</source>
        <translation>Matters by volume</translation>
    </message>
    <message>
        <source>事项编码</source>
        <translation>Matter code</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>各工作人员</source>
        <translation>Clerks</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <source>各业务类别</source>
        <translation>Lines</translation>
    </message>
    <message>
        <source>业务类别</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>每小时到达与办结</source>
        <translation>Arrivals and served per hour</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrivals</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Served</translation>
    </message>
    <message>
        <source>等候时长分布（分钟）</source>
        <translation>Waiting-time distribution (min)</translation>
    </message>
    <message>
        <source>各窗口办结数与平均等候（分钟）</source>
        <translation>Served and mean wait (min) per window</translation>
    </message>
    <message>
        <source>平均等候</source>
        <translation>Mean wait</translation>
    </message>
</context>
<context>
    <name>KpiCharts</name>
    <message>
        <source>到达与办结</source>
        <translation>Arrivals and served</translation>
    </message>
    <message>
        <source>等候时长分布</source>
        <translation>Waiting times</translation>
    </message>
    <message>
        <source>各窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>每小时到达与办结（日均）</source>
        <translation>Arrivals and served per hour (daily mean)</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrivals</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Served</translation>
    </message>
    <message>
        <source>等候时长分布（分钟）</source>
        <translation>Waiting-time distribution (min)</translation>
    </message>
    <message>
        <source>取号数</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>各窗口办结数与平均等候（分钟）</source>
        <translation>Served and mean wait (min) per window</translation>
    </message>
    <message>
        <source>平均等候</source>
        <translation>Mean wait</translation>
    </message>
</context>
<context>
    <name>KpiView</name>
    <message>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>某日</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>某周</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>某月</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>计算</source>
        <translation>Compute</translation>
    </message>
    <message>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>导出 XLSX</source>
        <translation>Export XLSX</translation>
    </message>
    <message>
        <source>选择时段，按「计算」查看指标</source>
        <translation>Choose a period and press Compute to see the KPIs</translation>
    </message>
    <message>
        <source>时段</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>正在计算…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <source>%1 至 %2：%3 个工作日</source>
        <translation>%1 to %2 (working days: %3)</translation>
    </message>
    <message>
        <source>请先计算指标</source>
        <translation>Compute the KPIs first</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>已导出 %1</source>
        <translation>Exported %1</translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>号码前缀</source>
        <translation>Prefix</translation>
    </message>
    <message>
        <source>办理部门（逗号分隔）</source>
        <translation>Dept. codes (a,b,…)</translation>
    </message>
    <message>
        <source>默认</source>
        <translation>Default</translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message>
        <source>正在读取大厅数据…</source>
        <translation>Reading the hall&apos;s figures…</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>当前号</source>
        <translation>Current ticket</translation>
    </message>
    <message>
        <source>办理时长</source>
        <translation>In service</translation>
    </message>
    <message>
        <source>空闲时长</source>
        <translation>Idle for</translation>
    </message>
    <message>
        <source>业务类别</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>最长等候</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>Serving</translation>
    </message>
    <message>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <source>暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>未上线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>%1：最长已等候 %2 分钟，超过目标</source>
        <translation>%1: the longest wait is %2 minutes, over the target</translation>
    </message>
    <message>
        <source>%1号窗口今日尚未办理，而其业务仍有人等候</source>
        <translation>Window %1 has served no one today while its lines have people waiting</translation>
    </message>
    <message>
        <source>%1号窗口空闲 %2 分钟，而其业务仍有人等候</source>
        <translation>Window %1 idle for %2 minutes while its lines have people waiting</translation>
    </message>
    <message>
        <source>%1 等候 %2 人 · 目标 %3 分钟</source>
        <translation>%1 · %2 waiting · target %3 minutes</translation>
    </message>
    <message>
        <source>无提醒</source>
        <translation>No alerts</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>受理与办件</source>
        <translation>Intake and cases</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>大厅管理</source>
        <translation>Hall manager</translation>
    </message>
    <message numerus="yes">
        <source>%n 件容缺受理逾期未补齐，已按承诺视为撤回</source>
        <translation>
            <numerusform>%n case accepted with a gap was not completed in time and is deemed withdrawn, as committed</numerusform>
            <numerusform>%n cases accepted with a gap were not completed in time and are deemed withdrawn, as committed</numerusform>
        </translation>
    </message>
    <message>
        <source>工作台(&amp;D)</source>
        <translation>&amp;Desk</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>关于 OneWindow</source>
        <translation>About OneWindow</translation>
    </message>
    <message>
        <source>OneWindow 一窗受理工作台</source>
        <translation>OneWindow Intake Desk</translation>
    </message>
    <message>
        <source>退出工作台？</source>
        <translation>Quit the desk?</translation>
    </message>
    <message>
        <source>大厅设置</source>
        <translation>Hall settings</translation>
    </message>
    <message>
        <source>窗口或工作人员已更改，重新启动工作台后生效。</source>
        <translation>The window or clerk has changed; it takes effect when the desk restarts.</translation>
    </message>
    <message>
        <source>已关闭 %1 个号</source>
        <translation>%1 tickets closed</translation>
    </message>
    <message>
        <source>OneWindow 一窗受理工作台
一窗受理、集成服务，让群众和企业办事“只跑一次”。</source>
        <translation>OneWindow Intake Desk
One window, integrated service: citizens and businesses “visit only once”.</translation>
    </message>
</context>
<context>
    <name>ManagerPanel</name>
    <message>
        <source>实时</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>指标与图表</source>
        <translation>KPIs and charts</translation>
    </message>
</context>
<context>
    <name>ManagerSource</name>
    <message>
        <source>中心库不可用，显示本机数据：%1</source>
        <translation>Central store unavailable, showing this desk&apos;s data: %1</translation>
    </message>
    <message>
        <source>数据来源：本机数据库</source>
        <translation>Source: this desk&apos;s database</translation>
    </message>
    <message>
        <source>数据来源：全厅（中心库 %1）</source>
        <translation>Source: the whole hall (central store %1)</translation>
    </message>
</context>
<context>
    <name>ManagerWindow</name>
    <message>
        <source>OneWindow 大厅管理</source>
        <translation>OneWindow hall manager</translation>
    </message>
</context>
<context>
    <name>MatterSearch</name>
    <message>
        <source>事项搜索</source>
        <translation>Matter search</translation>
    </message>
    <message>
        <source>输入事项名称、编码、部门或拼音首字母（如 gtgsh）</source>
        <translation>Name, code, dept. or pinyin initials (gtgsh)</translation>
    </message>
    <message>
        <source>按部门筛选</source>
        <translation>Filter by department</translation>
    </message>
    <message>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <source>事项搜索结果</source>
        <translation>Matter search results</translation>
    </message>
    <message>
        <source>多部门</source>
        <extracomment>The other columns&apos; share of the table&apos;s width and their widest (in CJK characters): the name keeps at least half, however narrow the panel.</extracomment>
        <translation>Several departments</translation>
    </message>
    <message>
        <source>%1 个事项</source>
        <translation>%1 matters</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>%Y年%m月%d日</source>
        <translation>%d %b %Y</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>等候中</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>Serving</translation>
    </message>
    <message>
        <source>已过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>已关闭</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>优先</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>老年人</source>
        <translation>Elderly</translation>
    </message>
    <message>
        <source>孕妇</source>
        <translation>Pregnant</translation>
    </message>
    <message>
        <source>残疾人</source>
        <translation>Disability</translation>
    </message>
    <message>
        <source>军人</source>
        <translation>Service member</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>容缺受理</source>
        <translation>Accept with gaps</translation>
    </message>
    <message>
        <source>一次性告知</source>
        <translation>Notify once</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>原件已核验</source>
        <translation>Original checked</translation>
    </message>
    <message>
        <source>原件已收取</source>
        <translation>Original kept</translation>
    </message>
    <message>
        <source>已收复印件</source>
        <translation>Copies received</translation>
    </message>
    <message>
        <source>电子材料已获取</source>
        <translation>Electronic copy obtained</translation>
    </message>
    <message>
        <source>缺少</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>容缺</source>
        <translation>Gap</translation>
    </message>
    <message>
        <source>有瑕疵</source>
        <translation>Defective</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <source>已收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>待补齐</source>
        <translation>Awaiting supplement</translation>
    </message>
    <message>
        <source>已补齐</source>
        <translation>Supplemented</translation>
    </message>
    <message>
        <source>已一次性告知</source>
        <translation>Notified</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>部门审查中</source>
        <translation>In department review</translation>
    </message>
    <message>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>临期</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>受理通知书</source>
        <translation>Acceptance notice</translation>
    </message>
    <message>
        <source>容缺受理承诺书</source>
        <translation>Gap commitment letter</translation>
    </message>
    <message>
        <source>一次性告知书</source>
        <translation>One-time notification</translation>
    </message>
    <message>
        <source>不予受理通知书</source>
        <translation>Rejection notice</translation>
    </message>
    <message>
        <source>排队票</source>
        <translation>Queue ticket</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>申请人姓名</source>
        <translation>Applicant&apos;s name</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Organisation name</translation>
    </message>
    <message>
        <source>代理人姓名</source>
        <translation>Agent&apos;s name</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>代理人身份证号码</source>
        <translation>Agent&apos;s ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>代理人联系电话</source>
        <translation>Agent&apos;s phone</translation>
    </message>
    <message>
        <source>经办人姓名</source>
        <translation>Contact name</translation>
    </message>
    <message>
        <source>经办人身份证号码</source>
        <translation>Contact ID number</translation>
    </message>
    <message>
        <source>经办人联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>请填写{what}</source>
        <translation>Please enter the {what}</translation>
    </message>
    <message>
        <source>{what}应为18位，现为{length}位</source>
        <translation>The {what} must have 18 characters, it has {length}</translation>
    </message>
    <message>
        <source>{what}前17位应全为数字</source>
        <translation>The first 17 characters of the {what} must be digits</translation>
    </message>
    <message>
        <source>{what}最后一位应为数字或X</source>
        <translation>The last character of the {what} must be a digit or X</translation>
    </message>
    <message>
        <source>{what}的地区码{region}无效</source>
        <translation>The region code {region} of the {what} is not valid</translation>
    </message>
    <message>
        <source>{what}中的出生日期{birth}无效</source>
        <translation>The birth date {birth} in the {what} is not valid</translation>
    </message>
    <message>
        <source>{what}校验位不正确，请核对号码</source>
        <translation>The check character of the {what} is wrong; please check the number</translation>
    </message>
    <message>
        <source>请填写统一社会信用代码</source>
        <translation>Please enter the unified social credit code</translation>
    </message>
    <message>
        <source>统一社会信用代码应为18位，现为{length}位</source>
        <translation>The unified social credit code must have 18 characters, it has {length}</translation>
    </message>
    <message>
        <source>统一社会信用代码含有不允许的字符：{chars}（不使用I、O、Z、S、V）</source>
        <translation>The unified social credit code has characters that are not allowed: {chars} (I, O, Z, S and V are not used)</translation>
    </message>
    <message>
        <source>统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字</source>
        <translation>Characters 3 to 8 of the unified social credit code (the registering authority&apos;s division code) must be digits</translation>
    </message>
    <message>
        <source>统一社会信用代码校验位不正确，请核对代码</source>
        <translation>The check character of the unified social credit code is wrong; please check the code</translation>
    </message>
    <message>
        <source>手机号码应为1开头的11位数字，现为{length}位</source>
        <translation>A mobile number has 11 digits starting with 1; this one has {length}</translation>
    </message>
    <message>
        <source>{what}格式不正确：手机号码为11位数字，固定电话如0436-6123456</source>
        <translation>The {what} is not valid: a mobile number has 11 digits, a landline looks like 0436-6123456</translation>
    </message>
    <message>
        <source>{what}过长：最多{limit}个字，现为{length}个字</source>
        <translation>The {what} is too long: at most {limit} characters, it has {length}</translation>
    </message>
    <message>
        <source>{what}中含有不可见的控制字符，请重新输入</source>
        <translation>The {what} contains invisible control characters; please type it again</translation>
    </message>
    <message>
        <source>{what}中的「{chars}」无法打印（字库中没有这个字），请核对后重新输入</source>
        <translation>{what}: “{chars}” cannot be printed (no font has this character); please check and enter it again</translation>
    </message>
    <message>
        <source>请选择申请人类型（个人或单位）</source>
        <translation>Please choose the kind of applicant (person or organisation)</translation>
    </message>
    <message>
        <source>「{material}」的份数不能为负数</source>
        <translation>“{material}”: the number of copies cannot be negative</translation>
    </message>
    <message>
        <source>「{material}」须收取原件，不能核验后退还</source>
        <translation>“{material}”: the original must be kept, not checked and returned</translation>
    </message>
    <message>
        <source>「{material}」须另收复印件{needed}份，现为{copies}份</source>
        <translation>“{material}”: copies needed besides the original: {needed}; given: {copies}</translation>
    </message>
    <message>
        <source>「{material}」须提供原件，复印件不能代替</source>
        <translation>“{material}”: the original is needed; a copy cannot replace it</translation>
    </message>
    <message>
        <source>「{material}」须提供复印件{needed}份，现为{copies}份</source>
        <translation>“{material}”: copies needed: {needed}; given: {copies}</translation>
    </message>
    <message>
        <source>「{material}」须提供纸质材料：{requirement}，不接受电子材料</source>
        <translation>“{material}” must be on paper ({requirement}); an electronic copy is not accepted</translation>
    </message>
    <message>
        <source>「{material}」不可容缺</source>
        <translation>“{material}” cannot be a gap</translation>
    </message>
    <message>
        <source>请填写「{material}」不符合要求的原因</source>
        <translation>Please say why “{material}” is not acceptable</translation>
    </message>
    <message>
        <source>「{material}」为必需材料，不能标记为不适用</source>
        <translation>“{material}” is required and cannot be marked not applicable</translation>
    </message>
    <message>
        <source>清单中没有这些材料：{codes}</source>
        <translation>These materials are not on the checklist: {codes}</translation>
    </message>
    <message>
        <source>{status}{copies}份</source>
        <translation>{status}: {copies}</translation>
    </message>
    <message>
        <source>{status}，另收复印件{copies}份</source>
        <translation>{status}, plus copies: {copies}</translation>
    </message>
    <message>
        <source>未提供</source>
        <translation>Not provided</translation>
    </message>
    <message>
        <source>未提供（适用情形：{condition}）</source>
        <translation>Not provided (needed when: {condition})</translation>
    </message>
    <message>
        <source>可选材料，未提供</source>
        <translation>Optional, not provided</translation>
    </message>
    <message>
        <source>可选材料，不符合要求：{defect}</source>
        <translation>Optional, not acceptable: {defect}</translation>
    </message>
    <message>
        <source>不符合要求：{defect}</source>
        <translation>Not acceptable: {defect}</translation>
    </message>
    <message>
        <source>未提供（可容缺，但承诺时限内无法安排补正期限）</source>
        <translation>Not provided (may be a gap, but no deadline fits within the promised time limit)</translation>
    </message>
    <message>
        <source>未提供（可容缺，但申请人未签署容缺承诺书）</source>
        <translation>Not provided (may be a gap, but the applicant has not signed the commitment letter)</translation>
    </message>
    <message>
        <source>未提供（可容缺）</source>
        <translation>Not provided (may be a gap)</translation>
    </message>
    <message>
        <source>不属于本大厅受理范围：{reason}</source>
        <translation>Not handled by this hall: {reason}</translation>
    </message>
    <message>
        <source>申请材料不齐全或不符合法定形式，一次性告知需要补正的全部内容</source>
        <translation>The materials are incomplete or not in the legal form; everything still needed is listed at once</translation>
    </message>
    <message>
        <source>「{material}」{why}</source>
        <translation>“{material}”: {why}</translation>
    </message>
    <message>
        <source>主要材料齐全，其余材料可容缺，申请人已签署容缺承诺书，予以容缺受理</source>
        <translation>The main materials are complete, the rest may be gaps and the applicant signed the commitment letter: accepted with gaps</translation>
    </message>
    <message>
        <source>「{material}」容缺，须于{deadline:long}前补齐</source>
        <translation>“{material}” is a gap, to be supplied by {deadline:long}</translation>
    </message>
    <message>
        <source>申请材料齐全、符合法定形式，予以受理</source>
        <translation>The materials are complete and in the legal form: accepted</translation>
    </message>
    <message>
        <source>经{manager}批准，改为{decision}：{reason}</source>
        <translation>Changed to {decision} with the approval of {manager}: {reason}</translation>
    </message>
    <message>
        <source>改变规则的决定须填写理由</source>
        <translation>A reason is needed to change the rules&apos; decision</translation>
    </message>
    <message>
        <source>改变规则的决定须经大厅负责人批准</source>
        <translation>Changing the rules&apos; decision needs a hall manager&apos;s approval</translation>
    </message>
    <message>
        <source>规则的决定已是{decision}，无需改变</source>
        <translation>The rules already decided {decision}; nothing to change</translation>
    </message>
    <message>
        <source>容缺受理须由申请人签署容缺承诺书</source>
        <translation>Accepting with gaps needs the applicant&apos;s signed commitment letter</translation>
    </message>
    <message>
        <source>「{material}」在承诺时限内无法安排补正期限，不能容缺受理</source>
        <translation>No deadline for “{material}” fits within the promised time limit; it cannot be accepted with gaps</translation>
    </message>
    <message>
        <source>没有缺少的材料，无需容缺受理</source>
        <translation>Nothing is missing; no need to accept with gaps</translation>
    </message>
    <message>
        <source>请先确认这些视情形材料是否适用（适用的标记收取或缺少，不适用的标记不适用）：{materials}</source>
        <translation>Confirm first whether these conditional materials apply (mark them received or missing if they do, not applicable if not): {materials}</translation>
    </message>
    <message>
        <source>主要材料、申请书和申请人身份证明不能容缺，负责人也不能改为容缺受理：{materials}</source>
        <translation>Core materials, the application form and the applicant&apos;s identity can never be a gap, not even by a manager&apos;s decision: {materials}</translation>
    </message>
    <message>
        <source>不予受理须写明理由</source>
        <translation>A rejection needs its reason</translation>
    </message>
    <message>
        <source>未知的不予受理情形：{ground}</source>
        <translation>Unknown ground of rejection: {ground}</translation>
    </message>
    <message>
        <source>申请事项不属于本机关职权范围的，须告知申请人向哪个机关申请（《行政许可法》第三十二条第一款第（二）项），请填写受理机关</source>
        <translation>Where the matter is not this organ&apos;s, the applicant must be told which organ to apply to (Administrative Licensing Law art. 32(1)(2)): fill in that organ</translation>
    </message>
    <message>
        <source>请选择申请事项；目录中没有的，请写明申请人要办理的事项</source>
        <translation>Choose the matter; if the catalogue does not hold it, name what the applicant asks for</translation>
    </message>
    <message>
        <source>{manager}不是在岗的大厅负责人，不能批准改变规则的决定</source>
        <translation>{manager} is not an active hall manager and cannot approve changing the rules&apos; decision</translation>
    </message>
    <message>
        <source>{year}年的法定节假日尚未收录：该年按周末和目录中的节假日调整计算工作日，期限可能不准确，请更新目录的节假日表</source>
        <translation>Public holidays of {year} are not known yet: working days are counted from weekends and the catalogue&apos;s holiday table, so deadlines may be off; please update the catalogue&apos;s holidays</translation>
    </message>
    <message>
        <source>未知的办件状态：{status}</source>
        <translation>Unknown case status: {status}</translation>
    </message>
    <message>
        <source>办件状态为「{current}」，不能再变为「{wanted}」</source>
        <translation>The case is “{current}” and can no longer become “{wanted}”</translation>
    </message>
    <message>
        <source>办件状态不能从「{current}」变为「{wanted}」（可变为：{allowed}）</source>
        <translation>A case cannot go from “{current}” to “{wanted}” (it can become: {allowed})</translation>
    </message>
    <message>
        <source>请选择事项，或选择一件事（二者选一）</source>
        <translation>Please choose matters or one bundle (not both)</translation>
    </message>
    <message>
        <source>一件事不存在：{bundle}</source>
        <translation>No such bundle: {bundle}</translation>
    </message>
    <message>
        <source>事项重复选择：{matters}</source>
        <translation>Matters chosen twice: {matters}</translation>
    </message>
    <message>
        <source>事项不存在：{matters}</source>
        <translation>No such matters: {matters}</translation>
    </message>
    <message>
        <source>{window}号窗口今日的办件编号已用完（每日最多{limit}件）</source>
        <translation>Window {window} has used all of today&apos;s case numbers (at most {limit} a day)</translation>
    </message>
    <message>
        <source>本机未设置窗口号（1–99），不能受理办件</source>
        <translation>This desk has no window number (1–99), so it cannot take cases</translation>
    </message>
    <message>
        <source>未设置大厅的6位行政区划代码，不能生成办件编号</source>
        <translation>The hall&apos;s 6-digit division code is not set, so no case number can be made</translation>
    </message>
    <message>
        <source>办件不存在：{case}</source>
        <translation>No such case: {case}</translation>
    </message>
    <message>
        <source>容缺材料尚未补齐，不能办结：{materials}</source>
        <translation>Gap materials not yet supplied, the case cannot be decided: {materials}</translation>
    </message>
    <message>
        <source>办件状态为「{status}」，没有待补齐的容缺材料</source>
        <translation>The case is “{status}”: no gap materials are due</translation>
    </message>
    <message>
        <source>请选择补齐的材料</source>
        <translation>Please choose the materials handed in</translation>
    </message>
    <message>
        <source>「{material}」不是本办件的容缺材料</source>
        <translation>“{material}” is not a gap material of this case</translation>
    </message>
    <message>
        <source>「{material}」已于{day}补齐</source>
        <translation>“{material}” was already supplied on {day}</translation>
    </message>
    <message>
        <source>「{material}」的补齐期限{deadline}已过，容缺办件应终止办理</source>
        <translation>The deadline {deadline} for “{material}” has passed; the case should be stopped</translation>
    </message>
    <message>
        <source>「{material}」补齐时须登记为已收取</source>
        <translation>“{material}” must be recorded as received when supplied</translation>
    </message>
    <message>
        <source>办件{case}的状态为「{status}」，只有已一次性告知的办件才能补正后重新受理</source>
        <translation>Case {case} is “{status}”: only a notified case can be resubmitted</translation>
    </message>
    <message>
        <source>办件{case}已补正重新受理为{follower}</source>
        <translation>Case {case} was already resubmitted as {follower}</translation>
    </message>
    <message>
        <source>「{status}」由受理或补齐自动设置，不能手工变更</source>
        <translation>“{status}” is set by intake or supplements and cannot be set by hand</translation>
    </message>
    <message>
        <source>撤回或终止办理须填写原因</source>
        <translation>A reason is needed to withdraw or stop a case</translation>
    </message>
    <message>
        <source>{window}号窗口今年「{code}」的文号已用完</source>
        <translation>The document file numbers of {code} for window {window} are used up for this year</translation>
    </message>
    <message>
        <source>{window}号窗口今日的文书编号已用完（每类每日最多{limit}份）</source>
        <translation>Window {window} has used all of today&apos;s document numbers (at most {limit} of a kind a day)</translation>
    </message>
    <message>
        <source>未知的文书类型：{kind}</source>
        <translation>Unknown document kind: {kind}</translation>
    </message>
    <message>
        <source>行政区划代码应为6位数字：{division}</source>
        <translation>A division code has 6 digits: {division}</translation>
    </message>
    <message>
        <source>排队票必须对应一个排队号</source>
        <translation>A queue ticket document needs a ticket</translation>
    </message>
    <message>
        <source>受理类文书必须对应一个办件</source>
        <translation>An intake document needs a case</translation>
    </message>
    <message>
        <source>文书内容不是PDF，未能出具</source>
        <translation>The document is not a PDF and was not issued</translation>
    </message>
    <message>
        <source>文书不存在，无法记录打印</source>
        <translation>No such document; the print was not recorded</translation>
    </message>
    <message>
        <source>文书{doc_no}尚未打印过，不能补打</source>
        <translation>Document {doc_no} was never printed, so it cannot be reprinted</translation>
    </message>
    <message>
        <source>文书{doc_no}已打印，再次打印请使用补打</source>
        <translation>Document {doc_no} was already printed; use reprint to print it again</translation>
    </message>
    <message>
        <source>打印内容不是PDF</source>
        <translation>What was to be printed is not a PDF</translation>
    </message>
    <message>
        <source>无法连接打印服务（{error}）</source>
        <translation>Cannot reach the print service ({error})</translation>
    </message>
    <message>
        <source>打印服务拒绝了请求（{error}）</source>
        <translation>The print service refused the request ({error})</translation>
    </message>
    <message>
        <source>找不到打印机“{printer}”</source>
        <translation>Printer &quot;{printer}&quot; not found</translation>
    </message>
    <message>
        <source>打印机“{printer}”当前拒绝接收打印任务</source>
        <translation>Printer &quot;{printer}&quot; is not accepting jobs</translation>
    </message>
    <message>
        <source>打印机“{printer}”已暂停</source>
        <translation>Printer &quot;{printer}&quot; is paused</translation>
    </message>
    <message>
        <source>打印机“{printer}”无法连接</source>
        <translation>Printer &quot;{printer}&quot; cannot be reached</translation>
    </message>
    <message>
        <source>打印机“{printer}”迟迟未完成打印</source>
        <translation>Printer &quot;{printer}&quot; did not finish the job in time</translation>
    </message>
    <message>
        <source>打印机“{printer}”打印失败（{error}）</source>
        <translation>Printer &quot;{printer}&quot; failed to print ({error})</translation>
    </message>
    <message>
        <source>打印机“{printer}”上的打印任务已被取消</source>
        <translation>The job on printer &quot;{printer}&quot; was cancelled</translation>
    </message>
    <message>
        <source>打印任务{job}已找不到</source>
        <translation>Print job {job} can no longer be found</translation>
    </message>
    <message>
        <source>{reason}，打印任务已取消，未打印</source>
        <translation>{reason}; the job was cancelled and nothing printed</translation>
    </message>
    <message>
        <source>打印机“{printer}”未接收打印任务（{error}）</source>
        <translation>Printer &quot;{printer}&quot; did not take the job ({error})</translation>
    </message>
    <message>
        <source>文书纸张为{page}，打印机“{printer}”只有{papers}纸张，未打印</source>
        <translation>The paper is {page} but printer &quot;{printer}&quot; only has {papers}; nothing printed</translation>
    </message>
    <message>
        <source>无法读取文件{path}（{error}）</source>
        <translation>Cannot read file {path} ({error})</translation>
    </message>
    <message>
        <source>已打印：打印机{printer}，任务{job}</source>
        <translation>Printed: printer {printer}, job {job}</translation>
    </message>
    <message>
        <source>文书编号格式不正确：{doc_no}</source>
        <translation>Not a valid document number: {doc_no}</translation>
    </message>
    <message>
        <source>数据库不在数据目录中，无法确定文书的保存位置</source>
        <translation>The database is not in a data directory, so there is nowhere to keep the papers</translation>
    </message>
    <message>
        <source>文书文件路径不在数据目录内：{path}</source>
        <translation>The paper file is outside the data directory: {path}</translation>
    </message>
    <message>
        <source>办件{case}未受理，不能出具受理通知书</source>
        <translation>Case {case} was not accepted, so no acceptance notice can be issued</translation>
    </message>
    <message>
        <source>办件{case}没有容缺材料，无需容缺承诺书</source>
        <translation>Case {case} has no gaps, so no commitment letter is needed</translation>
    </message>
    <message>
        <source>办件{case}没有需要补正的材料，不能出具一次性告知书</source>
        <translation>Case {case} needs nothing more, so no notification can be issued</translation>
    </message>
    <message>
        <source>本机尚未配置大厅</source>
        <translation>No hall is set up on this machine yet</translation>
    </message>
    <message>
        <source>大厅没有 {window} 号窗口</source>
        <translation>The hall has no window {window}</translation>
    </message>
    <message>
        <source>没有工号为 {clerk} 的在岗工作人员</source>
        <translation>No active staff member has the number {clerk}</translation>
    </message>
    <message>
        <source>大厅名称不能为空</source>
        <translation>The hall&apos;s name must not be empty</translation>
    </message>
    <message>
        <source>大厅名称不能超过 {limit} 个字</source>
        <translation>The hall&apos;s name must not be longer than {limit} characters</translation>
    </message>
    <message>
        <source>行政区划代码应为 6 位数字（如白城市 220800）</source>
        <translation>The division code must be 6 digits (e.g. 220800 for Baicheng)</translation>
    </message>
    <message>
        <source>目标等候时间应在 1 到 480 分钟之间</source>
        <translation>The target waiting time must be between 1 and 480 minutes</translation>
    </message>
    <message>
        <source>进度查询链接中须含有 {{case_no}}，用于填入办件编号</source>
        <translation>The progress link must contain {{case_no}}, where the case number goes</translation>
    </message>
    <message>
        <source>进度查询链接须以 http:// 或 https:// 开头</source>
        <translation>The progress link must start with http:// or https://</translation>
    </message>
    <message>
        <source>优先叫号规则只能是 {policies}</source>
        <translation>The priority calling rule must be one of {policies}</translation>
    </message>
    <message>
        <source>“每 N 个普通号插一个优先号”中的 N 应在 1 到 50 之间</source>
        <translation>N in “one priority ticket after every N normal ones” must be between 1 and 50</translation>
    </message>
    <message>
        <source>{where}: 业务类别的代码和名称不能为空</source>
        <translation>{where}: a line&apos;s code and name must not be empty</translation>
    </message>
    <message>
        <source>{where}: 号码前缀应为一个大写字母（不用 I、O、Y，Y 留给预约号）</source>
        <translation>{where}: the ticket prefix must be one capital letter (not I, O or Y; Y is for appointments)</translation>
    </message>
    <message>
        <source>{where}: 业务类别代码重复</source>
        <translation>{where}: a line code is used twice</translation>
    </message>
    <message>
        <source>{where}: 号码前缀重复</source>
        <translation>{where}: a ticket prefix is used twice</translation>
    </message>
    <message>
        <source>{where}: 只能有一个默认业务类别</source>
        <translation>{where}: only one line can be the default</translation>
    </message>
    <message>
        <source>{where}: 窗口号重复</source>
        <translation>{where}: a window number is used twice</translation>
    </message>
    <message>
        <source>{where}: 窗口号应在 1 到 99 之间</source>
        <translation>{where}: the window number must be between 1 and 99</translation>
    </message>
    <message>
        <source>{where}: 窗口至少要办理一个业务类别</source>
        <translation>{where}: a window must serve at least one line</translation>
    </message>
    <message>
        <source>{where}: 未知的业务类别 {line}</source>
        <translation>{where}: unknown line {line}</translation>
    </message>
    <message>
        <source>{where}: 工号重复</source>
        <translation>{where}: a staff number is used twice</translation>
    </message>
    <message>
        <source>{where}: 角色只能是 {roles}</source>
        <translation>{where}: the role must be one of {roles}</translation>
    </message>
    <message>
        <source>{where}: 机关代字应为 1 至 12 个汉字（如 白市监受）</source>
        <translation>{where}: the document code prefix must be 1 to 12 Chinese characters</translation>
    </message>
    <message>
        <source>{where}: 部门 {code} 的机关代字重复</source>
        <translation>{where}: department {code} has its document code prefix twice</translation>
    </message>
    <message>
        <source>{where}: 缺少部门编码</source>
        <translation>{where}: the department code is missing</translation>
    </message>
    <message>
        <source>{where}: 工号和姓名不能为空</source>
        <translation>{where}: staff number and name must not be empty</translation>
    </message>
    <message>
        <source>{window} 号窗口还有 {number} 号在叫号或办理，不能删除</source>
        <translation>Window {window} still has ticket {number} called or in service; it cannot be removed</translation>
    </message>
    <message>
        <source>本机设为 {window} 号窗口，不能删除它；请先在“本机”页改选窗口</source>
        <translation>This desk is window {window}, which cannot be removed; first choose another window on the “This PC” page</translation>
    </message>
    <message>
        <source>本机的工作人员 {clerk} 不能删除；请先在“本机”页改选工作人员</source>
        <translation>This desk&apos;s clerk {clerk} cannot be removed; first choose another clerk on the “This PC” page</translation>
    </message>
    <message>
        <source>窗口 {window} 不在文件中，导入后将没有可办理的业务类别；请在文件中列出 {window} 号窗口及其业务类别</source>
        <translation>Window {window} is not in the file and would serve no line after the import; list window {window} and its lines in the file</translation>
    </message>
    <message>
        <source>业务类别 {code}（{name}）已有取号记录，不能删除；可以改名，或不再让任何窗口办理它</source>
        <translation>Line {code} ({name}) has tickets and cannot be removed; rename it, or let no window serve it</translation>
    </message>
    <message>
        <source>大厅配置有误：{problem}</source>
        <translation>The hall configuration is wrong: {problem}</translation>
    </message>
    <message>
        <source>大厅配置文件的最外层应是一个对象</source>
        <translation>The hall file&apos;s top level must be an object</translation>
    </message>
    <message>
        <source>大厅配置文件格式不对（应为 {format}）</source>
        <translation>The hall file has the wrong format (it must be {format})</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 缺少此字段</source>
        <translation>The hall configuration is wrong: {where} is missing</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 应为文字，而不是 {value}</source>
        <translation>The hall configuration is wrong: {where} must be text, not {value}</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 过长（最多 {limit} 个字）</source>
        <translation>The hall configuration is wrong: {where} is too long (at most {limit} characters)</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 名称中不能有 &lt; 或 &gt;</source>
        <translation>The hall configuration is wrong: {where}: a name may not contain &lt; or &gt;</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 应为整数，而不是 {value}</source>
        <translation>The hall configuration is wrong: {where} must be a whole number, not {value}</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 应为 true 或 false，而不是 {value}</source>
        <translation>The hall configuration is wrong: {where} must be true or false, not {value}</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 应为数组</source>
        <translation>The hall configuration is wrong: {where} must be an array</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 最多 {limit} 项</source>
        <translation>The hall configuration is wrong: {where} has more than {limit} items</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 应为对象</source>
        <translation>The hall configuration is wrong: {where} must be an object</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 应为编码（文字）的数组</source>
        <translation>The hall configuration is wrong: {where} must be an array of codes (text)</translation>
    </message>
    <message>
        <source>大厅配置有误：{where} 中有不认识的字段 {field}</source>
        <translation>The hall configuration is wrong: {where} has an unknown field {field}</translation>
    </message>
    <message>
        <source>请{number}号到{window}号窗口办理</source>
        <translation>Ticket {number}, please go to window {window}</translation>
    </message>
    <message>
        <source>证件号码格式不正确</source>
        <translation>The ID number is not valid</translation>
    </message>
    <message>
        <source>没有业务类别“{line}”</source>
        <translation>No service line “{line}”</translation>
    </message>
    <message>
        <source>本机未设置窗口号，不能叫号</source>
        <translation>This desk has no window number, so it cannot call</translation>
    </message>
    <message>
        <source>没有{window}号窗口</source>
        <translation>There is no window {window}</translation>
    </message>
    <message>
        <source>没有这张号票</source>
        <translation>No such ticket</translation>
    </message>
    <message>
        <source>{number}号当前{status}，只有{wanted}的号才能这样操作</source>
        <translation>Ticket {number} is {status}; only a ticket that is {wanted} allows this</translation>
    </message>
    <message>
        <source>{number}号不在本窗口（在{window}号窗口）</source>
        <translation>Ticket {number} is not at this window (it is at window {window})</translation>
    </message>
    <message>
        <source>未知的号票类型“{kind}”</source>
        <translation>Unknown ticket kind “{kind}”</translation>
    </message>
    <message>
        <source>优先号需选择优先对象（老年人、孕妇、残疾人或军人）</source>
        <translation>A priority ticket needs a priority group (elderly, pregnant, disability or service member)</translation>
    </message>
    <message>
        <source>只有优先号才有优先对象</source>
        <translation>Only a priority ticket has a priority group</translation>
    </message>
    <message>
        <source>该证件今天已在“{line}”排队，同一业务不能重复取号；忘记号码请到咨询台</source>
        <translation>This ID already holds a place in “{line}” today; one ticket per line. Forgot your number? Please ask at the information desk</translation>
    </message>
    <message>
        <source>离线取号需要本机的窗口号</source>
        <translation>Issuing offline needs this desk&apos;s window number</translation>
    </message>
    <message>
        <source>中心库未连接：本机无离线号段</source>
        <translation>Central store not connected: this kiosk has no offline numbers</translation>
    </message>
    <message>
        <source>{window}号窗口已暂停，请先恢复叫号</source>
        <translation>Window {window} is paused; resume calling first</translation>
    </message>
    <message>
        <source>{number}号仍在本窗口（{status}），请先结束办理、过号或转移</source>
        <translation>Ticket {number} is still at this window ({status}); end, mark no-show or transfer it first</translation>
    </message>
    <message>
        <source>该叫号请求属于其他窗口</source>
        <translation>This call request belongs to another window</translation>
    </message>
    <message>
        <source>叫号冲突过多，请重试</source>
        <translation>Too many calls at once; please try again</translation>
    </message>
    <message>
        <source>{number}号不是今天的号</source>
        <translation>Ticket {number} is not today&apos;s</translation>
    </message>
    <message>
        <source>{number}号当前{status}，不能叫号</source>
        <translation>Ticket {number} is {status} and cannot be called</translation>
    </message>
    <message>
        <source>{number}号已转给{window}号窗口</source>
        <translation>Ticket {number} was transferred to window {window}</translation>
    </message>
    <message>
        <source>{number}号刚被其他窗口叫走</source>
        <translation>Ticket {number} was just called by another window</translation>
    </message>
    <message>
        <source>本机未设置窗口号</source>
        <translation>This desk has no window number</translation>
    </message>
    <message>
        <source>过号需填写原因</source>
        <translation>A reason is needed for a no-show</translation>
    </message>
    <message>
        <source>{number}号当前{status}，只有过号的号能恢复</source>
        <translation>Ticket {number} is {status}; only a no-show ticket can be reactivated</translation>
    </message>
    <message>
        <source>{number}号不是今天的号，不能恢复</source>
        <translation>Ticket {number} is not today&apos;s and cannot be reactivated</translation>
    </message>
    <message>
        <source>请选择转移到的业务或窗口</source>
        <translation>Please choose the line or window to transfer to</translation>
    </message>
    <message>
        <source>{number}号已在“{line}”</source>
        <translation>Ticket {number} is already in “{line}”</translation>
    </message>
    <message>
        <source>不能转移到本窗口</source>
        <translation>Cannot transfer to this window</translation>
    </message>
    <message>
        <source>{number}号尚未开始办理，不能结束</source>
        <translation>Service of ticket {number} has not started, so it cannot end</translation>
    </message>
    <message>
        <source>{window}号窗口已暂停</source>
        <translation>Window {window} is already paused</translation>
    </message>
    <message>
        <source>{window}号窗口已在叫号</source>
        <translation>Window {window} is already calling</translation>
    </message>
    <message>
        <source>日终关闭需填写原因</source>
        <translation>A reason is needed to close the day</translation>
    </message>
    <message>
        <source>日终未办理（次日开机自动关闭）</source>
        <translation>Not served by the end of the day (closed at the next start)</translation>
    </message>
    <message>
        <source>未知的来访目的“{purpose}”</source>
        <translation>Unknown purpose of visit “{purpose}”</translation>
    </message>
    <message>
        <source>缺少办件</source>
        <translation>A case is needed</translation>
    </message>
    <message>
        <source>评价需在非常满意到非常不满意之间选择</source>
        <translation>Please choose a rating from very satisfied to very dissatisfied</translation>
    </message>
    <message>
        <source>{number}号尚未办结，不能评价</source>
        <translation>Ticket {number} is not done yet and cannot be rated</translation>
    </message>
    <message>
        <source>{number}号已评价</source>
        <translation>Ticket {number} was already rated</translation>
    </message>
    <message>
        <source>{number}号的评价已结束，不能再评价</source>
        <translation>The rating of ticket {number} is closed; it can no longer be rated</translation>
    </message>
    <message>
        <source>{number}号已不在等候，不再出票</source>
        <translation>Ticket {number} is no longer waiting; no slip is printed</translation>
    </message>
    <message>
        <source>数据目录不可写：{path}（{error}）</source>
        <translation>The data directory cannot be written: {path} ({error})</translation>
    </message>
    <message>
        <source>数据目录不能为空：请给 --data-dir 一个目录，或不写这个选项用默认目录</source>
        <translation>The data directory cannot be empty: give --data-dir a directory, or leave the option out to use the default</translation>
    </message>
    <message>
        <source>磁盘已满：{path}（请清理磁盘后重试；未作任何改动）</source>
        <translation>The disk is full: {path} (free some space and try again; nothing was changed)</translation>
    </message>
    <message>
        <source>数据目录不可写（只读或没有权限）：{path}</source>
        <translation>The data directory cannot be written (read-only or no permission): {path}</translation>
    </message>
    <message>
        <source>中心库未执行此操作：{detail}</source>
        <translation>The central store did not do this: {detail}</translation>
    </message>
    <message>
        <source>{path} 不是可用的 CA 证书文件（PEM）；中心库设置未作改动</source>
        <translation>{path} is not a usable CA certificate file (PEM); the central store settings are unchanged</translation>
    </message>
    <message>
        <source>无法创建输出目录 {path}：{error}</source>
        <translation>Cannot create the output directory {path}: {error}</translation>
    </message>
    <message>
        <source>没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY）；请在桌面环境中启动，或设置 QT_QPA_PLATFORM=offscreen</source>
        <translation>No display available (neither DISPLAY nor WAYLAND_DISPLAY is set); start from a desktop session or set QT_QPA_PLATFORM=offscreen</translation>
    </message>
    <message>
        <source>模拟天数须在 1 到 {most} 之间</source>
        <translation>The number of simulated days must be between 1 and {most}</translation>
    </message>
    <message>
        <source>每日取号数须在 1 到 20000 之间</source>
        <translation>Tickets per day must be between 1 and 20000</translation>
    </message>
    <message>
        <source>{first} 至 {last} 已有取号或办件记录，未写入模拟数据</source>
        <translation>{first} to {last} already holds tickets or cases; no simulated data was written</translation>
    </message>
    <message>
        <source>日期格式不对：{text}（应为 2026-11-26 这样的日期）</source>
        <translation>Not a date: {text} (write it like 2026-11-26)</translation>
    </message>
    <message>
        <source>开始日期 {start} 晚于结束日期 {end}</source>
        <translation>The start date {start} is after the end date {end}</translation>
    </message>
    <message>
        <source>连不上中心库（{url}）：{error}</source>
        <translation>Cannot reach the central store ({url}): {error}</translation>
    </message>
    <message>
        <source>中心库拒绝了请求：{detail}</source>
        <translation>The central store refused the request: {detail}</translation>
    </message>
    <message>
        <source>中心库还给不出全大厅的数据：{detail}</source>
        <translation>The central store cannot give the whole hall&apos;s figures yet: {detail}</translation>
    </message>
    <message>
        <source>请用 --token 给出大厅管理员的中心库令牌</source>
        <translation>Give the hall manager&apos;s central store token with --token</translation>
    </message>
    <message>
        <source>无法写入 {path}：{error}</source>
        <translation>Cannot write {path}: {error}</translation>
    </message>
    <message>
        <source>不支持的格式：{format}（可用 pdf、csv、xlsx）</source>
        <translation>Unsupported format: {format} (pdf, csv or xlsx)</translation>
    </message>
    <message>
        <source>审计记录完整：共 {count} 条事件，哈希链无断裂</source>
        <translation>Audit trail intact: {count} events, the hash chain unbroken</translation>
    </message>
    <message>
        <source>审计记录被改动：事件 {event} 与哈希链不符</source>
        <translation>Audit trail altered: event {event} does not match the hash chain</translation>
    </message>
    <message>
        <source>审计记录被删除：序号 {seq} 的事件缺失（其后是事件 {event}）</source>
        <translation>Audit trail: the event numbered {seq} was removed (the next is event {event})</translation>
    </message>
    <message>
        <source>审计记录被插入：事件 {event}（序号 {seq}）不在哈希链的位置上</source>
        <translation>Audit trail: event {event} (number {seq}) was inserted out of the hash chain</translation>
    </message>
    <message>
        <source>审计记录被插入：事件 {event} 不在哈希链中</source>
        <translation>Audit trail: event {event} was inserted outside the hash chain</translation>
    </message>
    <message>
        <source>审计记录被改动：哈希链建立前的事件（现有 {count} 条）与建立时记下的摘要不符</source>
        <translation>Audit trail altered: the events from before the hash chain ({count} now) do not match the digest taken when it started</translation>
    </message>
    <message>
        <source>本机审计记录校验未通过：{problem}。请联系信息中心（python -m app audit verify）</source>
        <translation>This desk&apos;s audit trail failed its check: {problem}. Please contact the IT centre (python -m app audit verify)</translation>
    </message>
    <message>
        <source>已备份到 {path}（数据库及 {files} 个文书 PDF）</source>
        <translation>Backed up to {path} (the database and {files} document PDFs)</translation>
    </message>
    <message>
        <source>备份文件已存在：{path}（请换一个文件名；未作任何改动）</source>
        <translation>The backup file already exists: {path} (choose another name; nothing was changed)</translation>
    </message>
    <message>
        <source>无法写入备份 {path}：{error}</source>
        <translation>Cannot write the backup {path}: {error}</translation>
    </message>
    <message>
        <source>{path} 不是 OneWindow 的备份文件（{error}）；未作任何改动</source>
        <translation>{path} is not a OneWindow backup ({error}); nothing was changed</translation>
    </message>
    <message>
        <source>备份中的数据库已损坏：{path}（{detail}）；未作任何改动</source>
        <translation>The database in the backup is damaged: {path} ({detail}); nothing was changed</translation>
    </message>
    <message>
        <source>备份的数据库版本为 {revision}，本程序不认识它（本程序最新为 {head}）；未作任何改动</source>
        <translation>The backup&apos;s database is at version {revision}, which this program does not know (its newest is {head}); nothing was changed</translation>
    </message>
    <message>
        <source>备份中的审计记录校验未通过：{problem}；未作任何改动</source>
        <translation>The audit trail in the backup failed its check: {problem}; nothing was changed</translation>
    </message>
    <message>
        <source>已从 {path} 恢复；原数据库已另存为 {aside}</source>
        <translation>Restored from {path}; the database it replaced was kept as {aside}</translation>
    </message>
    <message>
        <source>已清除 {count} 件办结超过 {days} 天且已送达中心库的办件</source>
        <translation>Purged {count} cases closed more than {days} days ago and held by the central store</translation>
    </message>
    <message>
        <source>保留天数须为正整数：{days}</source>
        <translation>The retention period must be a positive number of days: {days}</translation>
    </message>
    <message>
        <source>没有在岗的工作人员：{clerk}（工作人员来自大厅配置：工作台 → 大厅设置，或 python -m app hall import FILE）</source>
        <translation>No active member of staff: {clerk} (staff come from the hall configuration: Desk → Hall settings, or python -m app hall import FILE)</translation>
    </message>
    <message>
        <source>{clerk} 尚未设置密码或PIN，请管理员设置（python -m app account set-password --clerk {clerk}）</source>
        <translation>{clerk} has no password or PIN yet; an administrator sets one (python -m app account set-password --clerk {clerk})</translation>
    </message>
    <message>
        <source>{clerk} 的密码或PIN不对</source>
        <translation>Wrong password or PIN for {clerk}</translation>
    </message>
    <message>
        <source>密码连续输错，请 {seconds} 秒后再试</source>
        <translation>Too many wrong passwords: try again in {seconds} s</translation>
    </message>
    <message>
        <source>{clerk} 连续输错密码，账号已锁定，{until} 后可再试</source>
        <translation>Too many wrong passwords for {clerk}: the account is locked until {until}</translation>
    </message>
    <message>
        <source>密码至少 8 个字符，或PIN至少 6 位数字</source>
        <translation>A password needs at least 8 characters, a PIN at least 6 digits</translation>
    </message>
    <message>
        <source>请填写工号和姓名</source>
        <translation>Enter the staff number and the name</translation>
    </message>
    <message>
        <source>工号 {clerk} 已存在</source>
        <translation>Staff number {clerk} already exists</translation>
    </message>
    <message>
        <source>此操作须由{role}进行，{clerk} 不是{role}</source>
        <translation>Only a {role} may do this; {clerk} is not a {role}</translation>
    </message>
    <message>
        <source>此操作须由{role}登录后进行</source>
        <translation>Only a signed-in {role} may do this</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>大厅负责人</source>
        <translation>hall manager</translation>
    </message>
    <message>
        <source>工作人员</source>
        <translation>member of staff</translation>
    </message>
    <message>
        <source>已为 {clerk} 设置密码</source>
        <translation>Password set for {clerk}</translation>
    </message>
    <message>
        <source>已添加 {clerk}（{role}）；请再为其设置密码：python -m app account set-password --clerk {clerk}</source>
        <translation>Added {clerk} ({role}); now set their password: python -m app account set-password --clerk {clerk}</translation>
    </message>
    <message>
        <source>两次输入的密码不一致；未作任何改动</source>
        <translation>The two passwords differ; nothing was changed</translation>
    </message>
    <message>
        <source>此操作须由{role}登录后进行：用 {option} 工号 给出，密码或PIN从终端或标准输入读取</source>
        <translation>This needs a signed-in {role}: give {option} STAFF_NUMBER; the password or PIN is read from the terminal or standard input</translation>
    </message>
    <message>
        <source>{clerk} 的账号已在中心库停用，不能登录</source>
        <translation>{clerk}&apos;s account was disabled on the central store and cannot sign in</translation>
    </message>
    <message>
        <source>{clerk} 的账号由中心库管理，请在中心库修改（python -m app central add-account）；未作任何改动</source>
        <translation>{clerk}&apos;s account is managed by the central store; change it there (python -m app central add-account). Nothing was changed</translation>
    </message>
    <message>
        <source>请负责人 {manager} 输入本人的密码或PIN以批准</source>
        <translation>Manager {manager}: enter your own password or PIN to approve</translation>
    </message>
    <message>
        <source>另一个窗口正在保存，数据库暂时忙；本次操作未保存，请稍后重试</source>
        <translation>Another window is saving and the database is busy; this was not saved, please try again</translation>
    </message>
    <message>
        <source>数据库文件被其他程序占用：{path}（请关闭另一个 OneWindow 后重试）</source>
        <translation>The database file is held by another program: {path} (close the other OneWindow and try again)</translation>
    </message>
    <message>
        <source>数据库文件已损坏：{path}（{detail}）。文件未作任何改动；请联系信息中心从备份恢复（先关闭所有 OneWindow 窗口，再运行 python -m app restore 备份文件）。</source>
        <translation>The database file is damaged: {path} ({detail}). The file was not changed; ask the IT centre to restore it from a backup (close every OneWindow window first, then run python -m app restore BACKUP_FILE).</translation>
    </message>
    <message>
        <source>数据库文件已损坏；请联系信息中心从备份恢复（先关闭所有 OneWindow 窗口，再运行 python -m app restore 备份文件）</source>
        <translation>The database file is damaged; ask the IT centre to restore it from a backup (close every OneWindow window first, then run python -m app restore BACKUP_FILE)</translation>
    </message>
    <message>
        <source>数据库文件是只读的：{path}（请让信息中心恢复该文件的写权限）；文件未作任何改动。</source>
        <translation>The database file is read-only: {path} (ask the IT centre to make it writable again); the file was not changed.</translation>
    </message>
    <message>
        <source>数据库是只读的，无法保存（请让信息中心恢复数据目录和数据库文件的写权限）</source>
        <translation>The database is read-only and nothing can be saved (ask the IT centre to make the data directory and the database file writable again)</translation>
    </message>
    <message>
        <source>磁盘已满：{path} 所在的磁盘没有剩余空间；请清理磁盘后重试，已保存的数据未受影响。</source>
        <translation>The disk is full: the disk of {path} has no space left; free some space and try again. Data already saved is not affected.</translation>
    </message>
    <message>
        <source>磁盘已满：数据目录所在的磁盘没有剩余空间；请清理磁盘后重试，已保存的数据未受影响。</source>
        <translation>The disk is full: the data directory&apos;s disk has no space left; free some space and try again. Data already saved is not affected.</translation>
    </message>
    <message>
        <source>{path} 中已有表但没有版本记录，不是 OneWindow 创建的数据库；文件未作任何改动。</source>
        <translation>{path} has tables but no version record: it is not a database OneWindow made; the file was not changed.</translation>
    </message>
    <message>
        <source>数据库来自更新版本的 OneWindow（版本 {revision}），本程序无法使用它；文件未作任何改动，请升级本程序。</source>
        <translation>The database comes from a newer OneWindow (version {revision}) and this program cannot use it; the file was not changed. Please upgrade this program.</translation>
    </message>
    <message>
        <source>数据库加密设置文件无法读取：{path}（{error}）；未作任何改动</source>
        <translation>The database&apos;s encryption settings cannot be read: {path} ({error}); nothing was changed</translation>
    </message>
    <message>
        <source>无法使用系统密钥环：{error}；未作任何改动</source>
        <translation>The system keyring cannot be used: {error}; nothing was changed</translation>
    </message>
    <message>
        <source>系统密钥环中没有本数据目录的数据库密钥（{key_id}）：请以加密时的系统用户登录后再启动；未作任何改动</source>
        <translation>The system keyring holds no database key for this data directory ({key_id}): sign in to the computer as the user who encrypted it, then start again; nothing was changed</translation>
    </message>
    <message>
        <source>没有输入口令；未作任何改动</source>
        <translation>No passphrase was entered; nothing was changed</translation>
    </message>
    <message>
        <source>口令至少 {min} 个字符；未作任何改动</source>
        <translation>The passphrase must have at least {min} characters; nothing was changed</translation>
    </message>
    <message>
        <source>两次输入的口令不一致；未作任何改动</source>
        <translation>The two passphrases differ; nothing was changed</translation>
    </message>
    <message>
        <source>数据库加密没有完成：{path}；请关闭所有 OneWindow 窗口后再运行 python -m app encrypt</source>
        <translation>Encrypting the database was not finished: {path}; close every OneWindow window, then run python -m app encrypt again</translation>
    </message>
    <message>
        <source>数据库已经加密：{path}；未作任何改动</source>
        <translation>The database is already encrypted: {path}; nothing was changed</translation>
    </message>
    <message>
        <source>另一个 OneWindow 窗口正在使用数据库；请关闭所有窗口后再加密，未作任何改动</source>
        <translation>Another OneWindow window is using the database; close every window before encrypting; nothing was changed</translation>
    </message>
    <message>
        <source>加密后的数据库未通过校验（{detail}）；原数据库保持不变，加密未开启</source>
        <translation>The encrypted database failed its check ({detail}); the original database is unchanged and encryption is not on</translation>
    </message>
    <message>
        <source>已加密数据库 {path}，密钥{where}；未加密的副本已校验并删除</source>
        <translation>Encrypted the database {path}; its key is {where}; the unencrypted copy was checked and removed</translation>
    </message>
    <message>
        <source>保存在系统密钥环中</source>
        <translation>kept in the system keyring</translation>
    </message>
    <message>
        <source>由管理员口令生成（每次启动时输入）</source>
        <translation>derived from the administrator&apos;s passphrase (typed at every start)</translation>
    </message>
    <message>
        <source>数据库密钥不对：{path} 无法用这个口令或密钥打开（口令输错，或密钥环中的密钥不属于这个数据库）；文件未作任何改动。</source>
        <translation>Wrong database key: {path} cannot be opened with this passphrase or key (the passphrase was mistyped, or the keyring&apos;s key belongs to another database); the file was not changed.</translation>
    </message>
    <message>
        <source>无法创建数据库 {path}：{error}</source>
        <translation>Cannot create the database {path}: {error}</translation>
    </message>
    <message>
        <source>无法打开数据库 {path}：{error}</source>
        <translation>Cannot open the database {path}: {error}</translation>
    </message>
    <message>
        <source>无法读取数据库 {path}：{error}</source>
        <translation>Cannot read the database {path}: {error}</translation>
    </message>
    <message>
        <source>这里还没有数据库：{path}（首次启动工作台时创建）</source>
        <translation>There is no database here yet: {path} (it is made when the desk first starts)</translation>
    </message>
    <message>
        <source>文件操作失败：{0}</source>
        <translation>File operation failed: {0}</translation>
    </message>
    <message>
        <source>操作失败：{0}</source>
        <translation>The operation failed: {0}</translation>
    </message>
</context>
<context>
    <name>NoShowDialog</name>
    <message>
        <source>过号 {0}</source>
        <translation>No-show {0}</translation>
    </message>
    <message>
        <source>过号原因</source>
        <translation>No-show reason</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>另一个窗口正在保存，稍候自动重试（第%1次）…</source>
        <translation>Another window is saving; trying again shortly (attempt %1)…</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>负责人批准改变受理决定</source>
        <translation>Manager override of the decision</translation>
    </message>
    <message>
        <source>规则的决定是「%1」。改变它须经大厅负责人批准，并记录理由。</source>
        <translation>The rules decide “%1”. Changing it needs a hall manager&apos;s approval and a recorded reason.</translation>
    </message>
    <message>
        <source>改为的决定</source>
        <translation>New decision</translation>
    </message>
    <message>
        <source>批准的负责人</source>
        <translation>Approving manager</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>负责人本人的密码或PIN</source>
        <translation>The manager&apos;s own password or PIN</translation>
    </message>
    <message>
        <source>改变决定的理由</source>
        <translation>Reason for the change</translation>
    </message>
    <message>
        <source>例如：产权证明已通过数据共享核实</source>
        <translation>e.g. proof of title verified by data sharing</translation>
    </message>
    <message>
        <source>改为</source>
        <translation>Change to</translation>
    </message>
    <message>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>密码或PIN</source>
        <translation>Password or PIN</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>确认批准</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>大厅配置中没有负责人，无法批准改变决定。</source>
        <translation>The hall settings list no manager, so no override can be approved.</translation>
    </message>
    <message>
        <source>请选择批准的负责人</source>
        <translation>Choose the approving manager</translation>
    </message>
    <message>
        <source>请负责人输入本人的密码或PIN</source>
        <translation>The manager must enter their own password or PIN</translation>
    </message>
    <message>
        <source>请填写理由（至少%1个字）</source>
        <translation>Enter a reason (at least %1 characters)</translation>
    </message>
</context>
<context>
    <name>PageImage</name>
    <message>
        <source>第%1页</source>
        <translation>Page %1</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>数据库已加密</source>
        <translation>Database encrypted</translation>
    </message>
    <message>
        <source>请管理员输入数据库口令以启动本机：</source>
        <translation>Administrator, enter the database passphrase to start this desk:</translation>
    </message>
    <message>
        <source>数据库口令</source>
        <translation>Database passphrase</translation>
    </message>
</context>
<context>
    <name>PickTicketDialog</name>
    <message>
        <source>叫指定号</source>
        <translation>Call a ticket</translation>
    </message>
    <message>
        <source>可叫的号</source>
        <translation>Tickets that can be called</translation>
    </message>
</context>
<context>
    <name>PrintFailedDialog</name>
    <message>
        <source>打印失败</source>
        <translation>Print failed</translation>
    </message>
    <message>
        <source>文书没有打印出来。</source>
        <translation>The document was not printed.</translation>
    </message>
    <message>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>换打印机</source>
        <translation>Another printer</translation>
    </message>
    <message>
        <source>保存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>仍然打印</source>
        <translation>Print anyway</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>打印预览 - %1</source>
        <translation>Print preview - %1</translation>
    </message>
    <message>
        <source>文书预览</source>
        <translation>Document preview</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 页</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message>
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>（未找到打印机）</source>
        <translation>(no printer found)</translation>
    </message>
    <message>
        <source>设为此类文书的默认打印机</source>
        <translation>Make this the default printer for this document</translation>
    </message>
    <message>
        <source>记住打印机</source>
        <translation>Remember printer</translation>
    </message>
    <message>
        <source>本机没有可用的打印机，可将文书保存为PDF。</source>
        <translation>No printer is available on this PC; you can save the document as PDF.</translation>
    </message>
    <message>
        <source>打印机提示</source>
        <translation>Printer message</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>保存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>打印机：</source>
        <translation>Printer:</translation>
    </message>
</context>
<context>
    <name>PrintService</name>
    <message>
        <source>已取消打印</source>
        <translation>Printing cancelled</translation>
    </message>
    <message>
        <source>未设置票据打印机</source>
        <translation>No ticket printer set</translation>
    </message>
    <message>
        <source>打印机“%1”无法打印（%2）</source>
        <translation>Printer “%1” cannot print (%2)</translation>
    </message>
    <message>
        <source>已发送到打印机：%1</source>
        <translation>Sent to printer: %1</translation>
    </message>
    <message>
        <source>文书未能打印，也未能保存：%1</source>
        <translation>The document was neither printed nor saved: %1</translation>
    </message>
    <message>
        <source>不可用</source>
        <translation>unavailable</translation>
    </message>
    <message>
        <source>拒绝任务</source>
        <translation>refusing jobs</translation>
    </message>
    <message>
        <source>已暂停</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>有故障</source>
        <translation>fault</translation>
    </message>
    <message>
        <source>就绪</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>可用</source>
        <extracomment>Pages are rasterised at the printer&apos;s resolution, but no finer than this: enough for the barcode&apos;s 0.33 mm bars, and an A4 page stays a few tens of MB. The preview shows pages at screen size (an A4 page about 800 px wide), rendered once.</extracomment>
        <translation>available</translation>
    </message>
    <message>
        <source>%1：未设置</source>
        <translation>%1: not set</translation>
    </message>
    <message>
        <source>%1：%2（找不到）</source>
        <translation>%1: %2 (not found)</translation>
    </message>
    <message>
        <source>%1：%2（%3）</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <source>文书未能预览（%1）</source>
        <translation>The document could not be previewed (%1)</translation>
    </message>
    <message>
        <source>已打印：%1（任务%2）</source>
        <translation>Printed: %1 (job %2)</translation>
    </message>
    <message>
        <source>%1，文书已保存为PDF：%2</source>
        <translation>%1; document saved as PDF: %2</translation>
    </message>
    <message>
        <source>文书已保存为PDF：%2</source>
        <translation>Document saved as PDF: %2</translation>
    </message>
    <message>
        <source>未找到可用的打印机，文书已保存为PDF：%2</source>
        <translation>No printer available; document saved as PDF: %2</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsDialog</name>
    <message>
        <source>A4文书</source>
        <translation>A4 documents</translation>
    </message>
    <message>
        <source>排队票</source>
        <translation>Queue ticket</translation>
    </message>
    <message>
        <source>打印机设置</source>
        <translation>Printers</translation>
    </message>
    <message>
        <source>（不设置）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1（找不到）</source>
        <translation>%1 (not found)</translation>
    </message>
    <message>
        <source>纸张提示</source>
        <translation>Paper warning</translation>
    </message>
    <message>
        <source>确认使用此打印机</source>
        <translation>Use this printer anyway</translation>
    </message>
    <message>
        <source>%1：</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>打印机“%1”没有%2纸张（只有%3）</source>
        <translation>Printer &quot;%1&quot; has no paper for %2 (only %3)</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>多次呼叫未到窗口</source>
        <translation>Called several times, did not come</translation>
    </message>
    <message>
        <source>申请人已离开</source>
        <translation>Applicant has left</translation>
    </message>
    <message>
        <source>申请人暂去补充材料</source>
        <translation>Applicant went to fetch materials</translation>
    </message>
    <message>
        <source>排队叫号</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>当前号</source>
        <translation>Current ticket</translation>
    </message>
    <message>
        <source>{0}（快捷键 {1}）</source>
        <translation>{0} (shortcut {1})</translation>
    </message>
    <message>
        <source>各业务等候人数</source>
        <translation>Waiting per service</translation>
    </message>
    <message>
        <source>另一个窗口正在保存，稍候自动重试（第{0}次）…</source>
        <translation>Another window is saving; trying again shortly (attempt {0})…</translation>
    </message>
    <message>
        <source>本机未设置窗口号</source>
        <translation>No window number set on this PC</translation>
    </message>
    <message>
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>叫号中</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>{0}号窗口 · {1}</source>
        <translation>Window {0} · {1}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <source>按 {0} 叫下一位</source>
        <translation>Press {0} to call the next</translation>
    </message>
    <message>
        <source>已呼叫{0}次</source>
        <translation>Called {0}×</translation>
    </message>
    <message>
        <source>离线号</source>
        <translation>Offline ticket</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>暂无等候的号</source>
        <translation>Nobody waiting</translation>
    </message>
    <message>
        <source>{0}：请再按一次 {1}（不会重复叫号）</source>
        <translation>{0}: press {1} again (it will not call twice)</translation>
    </message>
    <message>
        <source>暂无可叫的号</source>
        <translation>No ticket to call</translation>
    </message>
</context>
<context>
    <name>Rating</name>
    <message>
        <source>非常满意</source>
        <translation>Excellent</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Good</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Fair</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Poor</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very poor</translation>
    </message>
    <message>
        <source>谢谢您的评价</source>
        <translation>Thank you for your rating</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>服务评价</source>
        <translation>Service rating</translation>
    </message>
</context>
<context>
    <name>RatingView</name>
    <message>
        <source>请您对本次服务进行评价</source>
        <translation>Please rate our service today</translation>
    </message>
    <message>
        <source>{0}号窗口</source>
        <translation>Window {0}</translation>
    </message>
    <message>
        <source>号票 {0}  {1}</source>
        <translation>Ticket {0}  {1}</translation>
    </message>
    <message>
        <source>意见和建议</source>
        <translation>Comments and suggestions</translation>
    </message>
    <message>
        <source>请告诉我们哪里做得不好（可不填）</source>
        <translation>Tell us what we did badly (optional)</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Submit</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>【一件事】</source>
        <translation>[Bundle] </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>大厅设置</source>
        <translation>Hall settings</translation>
    </message>
    <message>
        <source>大厅</source>
        <translation>Hall</translation>
    </message>
    <message>
        <source>业务类别</source>
        <translation>Services</translation>
    </message>
    <message>
        <source>添加业务类别</source>
        <translation>Add a line</translation>
    </message>
    <message>
        <source>删除所选业务类别</source>
        <translation>Remove the selected lines</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>添加窗口</source>
        <translation>Add a window</translation>
    </message>
    <message>
        <source>删除所选窗口</source>
        <translation>Remove the selected windows</translation>
    </message>
    <message>
        <source>添加工作人员</source>
        <translation>Add a staff member</translation>
    </message>
    <message>
        <source>删除所选工作人员</source>
        <translation>Remove the selected staff</translation>
    </message>
    <message>
        <source>本机</source>
        <translation>This PC</translation>
    </message>
    <message>
        <source>大厅名称</source>
        <translation>Hall name</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>咨询电话</source>
        <translation>Enquiry phone</translation>
    </message>
    <message>
        <source>监督电话</source>
        <translation>Complaints phone</translation>
    </message>
    <message>
        <source>行政区划代码</source>
        <translation>Division code</translation>
    </message>
    <message>
        <source>进度查询链接</source>
        <translation>Progress look-up URL</translation>
    </message>
    <message>
        <source>打印为二维码；{case_no} 处填入办件编号</source>
        <translation>Printed as a QR code; {case_no} is replaced by the case number</translation>
    </message>
    <message>
        <source>目标等候时间（分钟）</source>
        <translation>Target wait (minutes)</translation>
    </message>
    <message>
        <source>优先叫号规则</source>
        <translation>Priority calling rule</translation>
    </message>
    <message>
        <source>优先号全部先叫</source>
        <translation>Call all priority tickets first</translation>
    </message>
    <message>
        <source>每 N 个普通号插一个优先号</source>
        <translation>One priority ticket after every N regular</translation>
    </message>
    <message>
        <source>每隔几个普通号插一个优先号</source>
        <translation>Normal tickets called between two priority tickets</translation>
    </message>
    <message>
        <source> 个普通号</source>
        <translation> normal tickets</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(please choose)</translation>
    </message>
    <message>
        <source>请在“本机”页选择本机的窗口和工作人员</source>
        <translation>Please choose this desk&apos;s window and clerk on the “This PC” page</translation>
    </message>
    <message>
        <source>%1第 %2 行</source>
        <translation>%1, row %2</translation>
    </message>
    <message>
        <source>转移的号保留原取号顺序</source>
        <translation>Transferred tickets keep their original place</translation>
    </message>
    <message>
        <source>本机窗口</source>
        <translation>This PC&apos;s window</translation>
    </message>
    <message>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
</context>
<context>
    <name>ShortcutHelp</name>
    <message>
        <source>快捷键说明</source>
        <translation>Keyboard shortcuts</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <source>登录工作台</source>
        <translation>Sign in to the desk</translation>
    </message>
    <message>
        <source>登录大厅管理</source>
        <translation>Sign in to hall management</translation>
    </message>
    <message>
        <source>演示模式</source>
        <translation>Demo mode</translation>
    </message>
</context>
<context>
    <name>SupplementDialog</name>
    <message>
        <source>补齐与补正</source>
        <translation>Gaps and corrections</translation>
    </message>
    <message>
        <source>补齐 / 补正</source>
        <translation>Supplement</translation>
    </message>
    <message>
        <source>办件查找</source>
        <translation>Find case</translation>
    </message>
    <message>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>查找到的办件</source>
        <translation>Cases found</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>容缺材料（空格勾选已补齐的）</source>
        <translation>Gap materials (Space ticks those supplied)</translation>
    </message>
    <message>
        <source>补正后重新受理</source>
        <translation>Re-accept after correction</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>扫描文书的条码或二维码，或输入文书编号、办件编号、身份证号码、电话、姓名，回车查找</source>
        <translation>Scan a paper&apos;s barcode or QR code, or type a document number, case number, ID number, phone or name, then Enter</translation>
    </message>
    <message>
        <source>请扫描文书的条码或二维码，或输入文书编号、办件编号、身份证号码、电话或姓名</source>
        <translation>Scan a paper&apos;s barcode or QR code, or type a document number, case number, ID number, phone or name</translation>
    </message>
    <message>
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>办件编号 %1 不存在，请核对回执上的编号</source>
        <translation>No case %1; check the number on the receipt</translation>
    </message>
    <message>
        <source>没有找到与“%1”相符的办件</source>
        <translation>No case matches “%1”</translation>
    </message>
    <message>
        <source>找到 %1 件</source>
        <translation>%1 found</translation>
    </message>
    <message>
        <source>办件 %1 · %2 · %3</source>
        <translation>Case %1 · %2 · %3</translation>
    </message>
    <message>
        <source>期限 %1（%2）</source>
        <translation>Due %1 (%2)</translation>
    </message>
    <message>
        <source>勾选申请人本次补齐的容缺材料（空格），然后登记补齐。</source>
        <translation>Tick the gap materials supplied now (Space), then record them.</translation>
    </message>
    <message>
        <source>该办件没有待补齐的容缺材料。</source>
        <translation>This case has no gap materials outstanding.</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>已一次性告知：申请人补正后，重新受理为新办件（已收材料自动带入）。</source>
        <translation>One-time notice issued: after correction, re-accept as a new case (received materials carried over).</translation>
    </message>
    <message>
        <source>该办件没有待补齐或待补正的材料。</source>
        <translation>This case has no materials outstanding.</translation>
    </message>
    <message>
        <source>%1（已补齐）</source>
        <translation>%1 (supplied)</translation>
    </message>
    <message>
        <source>%1（须于 %2 前补齐）</source>
        <translation>%1 (due by %2)</translation>
    </message>
    <message>
        <source>请勾选本次补齐的材料（空格勾选）</source>
        <translation>Tick the materials supplied now (Space)</translation>
    </message>
    <message>
        <source>已登记补齐，办件 %1 现为「%2」</source>
        <translation>Recorded; case %1 is now “%2”</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>转移 {0}</source>
        <translation>Transfer {0}</translation>
    </message>
    <message>
        <source>转到业务</source>
        <translation>To service</translation>
    </message>
    <message>
        <source>（不改业务）</source>
        <translation>(same service)</translation>
    </message>
    <message>
        <source>转到窗口</source>
        <translation>To window</translation>
    </message>
    <message>
        <source>（任一窗口）</source>
        <translation>(any window)</translation>
    </message>
    <message>
        <source>{0}号窗口</source>
        <translation>Window {0}</translation>
    </message>
</context>
<context>
    <name>WaitingCountsModel</name>
    <message>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>号段</source>
        <translation>Prefix</translation>
    </message>
    <message>
        <source>等候</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>优先</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>最久(分)</source>
        <translation>Max wait (min)</translation>
    </message>
</context>
<context>
    <name>WindowsModel</name>
    <message>
        <source>窗口号</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>办理的业务类别（按优先顺序，逗号分隔）</source>
        <translation>Services by priority (a,b,…)</translation>
    </message>
</context>
<context>
    <name>_CredentialDialog</name>
    <message>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <source>密码或PIN</source>
        <translation>Password or PIN</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>请输入工号和密码或PIN</source>
        <translation>Enter your staff number and password or PIN</translation>
    </message>
</context>
<context>
    <name>display</name>
    <message>
        <source>叫号显示屏</source>
        <translation>Queue display</translation>
    </message>
</context>
<context>
    <name>kiosk</name>
    <message>
        <source>取号机</source>
        <translation>Ticket kiosk</translation>
    </message>
</context>
</TS>
