/** Texts of form validation: what a page shows beside a field whose value was refused. */

export const ja = {
  "form.required": "入力してください",
  "form.tooLong": "{max}文字以内で入力してください",
  "form.lineBreak": "改行や制御文字は使えません",
  "form.control": "制御文字は使えません",
  "form.option": "一覧から選択してください",
  "form.number": "{min}〜{max} の整数を入力してください",
  "form.invalid": "入力内容を確認してください",
};

export const en: Record<keyof typeof ja, string> = {
  "form.required": "This field is required",
  "form.tooLong": "Use at most {max} characters",
  "form.lineBreak": "Line breaks and control characters are not allowed here",
  "form.control": "Control characters are not allowed here",
  "form.option": "Choose one of the options",
  "form.number": "Enter a whole number from {min} to {max}",
  "form.invalid": "Check this value",
};
