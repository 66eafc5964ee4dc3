/** The category a web inquiry came in with, as reports count it. Pure. */
import { type FormField, type InquiryValues, optionLabel } from "../inquiry_form.ts";

/** The chosen category's Japanese label (stable across the visitor's language), or null. */
export function inquiryCategory(fields: FormField[], values: InquiryValues): string | null {
  const field = fields.find((f) => f.type === "category" && f.enabled);
  if (!field || values.category === "") return null;
  const option = field.options[Number(values.category)];
  return option ? optionLabel(option, "ja") || null : null;
}
