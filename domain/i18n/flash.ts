/** One-line confirmations after an action (routes/flash.ts). */
export const ja = {
  "flash.replyQueued": "返信を送信キューに入れました",
  "flash.statusChanged": "状態を変更しました",
  "flash.priorityChanged": "優先度を変更しました",
  "flash.departmentChanged": "部署を移しました",
  "flash.followUpSet": "フォローアップを設定しました",
  "flash.followUpCleared": "フォローアップを解除しました",
  "flash.linkRotated": "お客様ページのリンクとアクセスキーを再発行しました",
  "flash.retryQueued": "再送を予約しました",
  "flash.assigned": "担当者を変更しました",
  "flash.tagsSaved": "タグを保存しました",
  "flash.transferred": "転送しました",
  "flash.noteAdded": "社内メモを追加しました",
};

export const en: Record<keyof typeof ja, string> = {
  "flash.replyQueued": "Your reply is queued for sending",
  "flash.statusChanged": "Status changed",
  "flash.priorityChanged": "Priority changed",
  "flash.departmentChanged": "Moved to the department",
  "flash.followUpSet": "Follow-up set",
  "flash.followUpCleared": "Follow-up cleared",
  "flash.linkRotated": "The customer's link and access key were renewed",
  "flash.retryQueued": "The mail will be sent again",
  "flash.assigned": "Assignee changed",
  "flash.tagsSaved": "Tags saved",
  "flash.transferred": "Transferred",
  "flash.noteAdded": "Internal note added",
};
