// Feishu's "撤回审批实例": POST /open-apis/apaas/v1/approval_instances/{approval_instance_id}/cancel
import { opinion, pathId, userId } from './fields.mjs';

export default {
  name: 'instance-cancel',
  jobType: 'feishu-approval-instance-cancel',
  version: 2,
  title: 'Feishu: Cancel approval instance',
  description: 'Withdraws a whole Feishu aPaaS approval instance (审批实例) on behalf of a '
    + 'user. A Feishu error such as 2320001 becomes a BPMN error with that code. For Camunda 8.8 and '
    + 'newer.',
  anchor: 'cancel-approval-instance',
  keywords: [ 'approval', 'cancel', 'withdraw', '撤回' ],
  group: { id: 'instance', label: 'Approval instance' },
  fields: [
    pathId({
      id: 'approvalInstanceId',
      label: 'Approval instance ID',
      description: 'The approval instance to withdraw, e.g. <code>1785996265140001</code>, or '
        + '<code>=approvalInstanceId</code> to take it from a process variable.',
      tooltip: 'The aPaaS approval instance (审批实例) ID: the whole approval flow a request started, not one of '
        + 'its tasks.'
    }),
    userId({
      label: 'Acting user ID',
      description: 'The user on whose behalf the instance is withdrawn, as an aPaaS (kunlun) user ID, e.g. '
        + '<code>1783981209205788</code>.'
    }),
    opinion({
      required: true,
      description: 'Why the instance is withdrawn, e.g. <code>申请有误，撤回</code>. Required: Feishu refuses to '
        + 'withdraw an instance without one.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters. Feishu shows it in the '
        + 'approval\'s history.'
    })
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>withdrawResult</code>. Empty: nothing is stored.',
    tooltip: 'The log ID is what Feishu support asks for. A Feishu error never reaches this variable: it is thrown '
      + 'as a BPMN error (see Errors and retries).'
  },
  // an arrow turning back, white on orange
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#D96C00"/><path d="M4.6 6.6h5a2.9 2.9 0 0 1 0 5.8H6.4" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/><path d="M6.8 4.2L4.3 6.6l2.5 2.4" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`
};
