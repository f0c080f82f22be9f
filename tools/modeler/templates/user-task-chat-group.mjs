// Feishu's "人工任务发起群聊": POST /open-apis/apaas/v1/user_tasks/{task_id}/chat_group
import { idList, text, token } from './fields.mjs';
import { LIST_TOOLTIP, operatorUserId, userTaskId } from './user-task-fields.mjs';

export default {
  name: 'user-task-chat-group',
  jobType: 'feishu-apaas-user-task-chat-group',
  version: 1,
  storeApps: false,
  title: 'Feishu: Group chat on a user task',
  description: 'Opens a Feishu group chat (拉群) about an aPaaS user task, or adds users to an existing one; the job '
    + 'completes with the chat ID. A Feishu error such as 2320001 becomes a BPMN error with that code. Self-built '
    + 'apps only. For Camunda 8.8 and newer.',
  anchor: 'open-a-group-chat-about-a-user-task',
  keywords: [ 'user task', 'group chat', 'chat', '拉群' ],
  group: { id: 'task', label: 'User task' },
  fields: [
    userTaskId('The user task the chat is about, e.g. <code>1785996265147777</code>, or <code>=userTaskId</code> to '
      + 'take it from a process variable.'),
    operatorUserId('The user who opens the chat, as an aPaaS (kunlun) user ID, e.g. <code>1783981209205788</code>.'),
    idList({
      id: 'inviteUserIds',
      label: 'Users to invite',
      description: 'The users invited into the chat, as a list of 1 to 20 aPaaS user IDs, e.g. '
        + '<code>["1783981209205999"]</code>. Empty: not sent.',
      tooltip: LIST_TOOLTIP
    }),
    token({
      id: 'chatId',
      label: 'Existing chat ID',
      description: 'A group chat to add the users to, e.g. <code>oc_a0553eda9014c201e6969b478895c230</code>. Empty: '
        + 'Feishu opens a new one.',
      tooltip: 'A Feishu chat ID starts with oc_.'
    }),
    text({
      id: 'chatName',
      label: 'New chat name',
      description: 'The name of the new chat, e.g. <code>报销单讨论</code>. Used only when no existing chat ID is '
        + 'given.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 256 characters.',
      maxLength: 256
    })
  ],
  result: {
    value: 'groupChatId',
    description: 'Stores the chat ID Feishu answers with under this name, e.g. <code>taskChatId</code>. Empty: '
      + '<code>groupChatId</code>.',
    tooltip: 'The ID of the new chat, or of the existing one that was given. A Feishu error never reaches this '
      + 'variable: it is thrown as a BPMN error (see Errors and retries).'
  },
  // a speech bubble, white on sky blue
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#1E7FD0"/><path d="M3.5 5a1.5 1.5 0 0 1 1.5-1.5h6A1.5 1.5 0 0 1 12.5 5v4A1.5 1.5 0 0 1 11 10.5H7l-2.5 2v-2A1.5 1.5 0 0 1 3.5 9z" fill="#fff"/></svg>`
};
