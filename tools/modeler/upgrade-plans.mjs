// What a modeler types into version 1 of each template before taking the update, by property id. The ids are the
// ones TemplateUpgradeProcessTest expects Feishu to receive; keep the two in step.
const shared = { retries: '5', retryBackoff: 'PT1S' };

export const upgradePlans = [
  {
    jobType: 'feishu-approval-reject',
    templateId: 'io.github.feishu-approval-worker.reject',
    typed: {
      approvalTaskId: '1785996265159101', userId: '1783981209205788', opinion: '超时自动拒绝',
      resultVariable: 'rejectResult', ...shared
    }
  },
  {
    jobType: 'feishu-approval-agree',
    templateId: 'io.github.feishu-approval-worker.agree',
    typed: {
      feishuApp: 'second', approvalTaskId: '=approval.taskId', userId: '1783981209205788', opinion: '同意',
      resultVariable: 'agreeResult', ...shared
    }
  },
  {
    jobType: 'feishu-approval-transfer',
    templateId: 'io.github.feishu-approval-worker.transfer',
    typed: {
      approvalTaskId: '1785996265159103', userId: '1783981209205788', fromUserIds: '["1783981209205788"]',
      toUserIds: '["1783981209205999"]', opinion: '出差期间转交', ...shared
    }
  },
  {
    jobType: 'feishu-approval-add-assignee',
    templateId: 'io.github.feishu-approval-worker.add-assignee',
    typed: {
      approvalTaskId: '1785996265159104', userId: '1783981209205788',
      approvers: '["1783981209205999", "1783981209205111"]', addAssigneeType: 'afterAndAddAssign', opinion: '请财务加签',
      ...shared
    }
  },
  {
    jobType: 'feishu-approval-instance-cancel',
    templateId: 'io.github.feishu-approval-worker.instance-cancel',
    typed: { approvalInstanceId: '1785996265159105', userId: '1783981209205788', opinion: '申请有误，撤回', ...shared }
  },
  {
    jobType: 'feishu-user-task-query',
    templateId: 'io.github.feishu-approval-worker.user-task-query',
    typed: {
      kunlunUserId: '1783981209259106', type: 'pending', source: 'assignMe', limit: '20', offset: '0',
      apiIds: '["expense_approval"]', resultVariable: 'pendingTasks', ...shared
    }
  }
].map(plan => ({ ...plan, processId: `upgraded-${plan.jobType}` }));
