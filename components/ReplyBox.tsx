import { Island } from "./Island.tsx";
import { ReplyComposer, type ReplyComposerProps } from "../islands/ReplyComposer.tsx";

/** The reply textarea: a plain form field, upgraded by the ReplyComposer island when JS runs. */
export function ReplyBox(
  { composeStamp, ...props }: ReplyComposerProps & {
    /** The form's signed render stamp (handling time, services/handling_time.ts). */
    composeStamp?: string;
  },
) {
  return (
    <>
      <Island name="ReplyComposer" component={ReplyComposer} props={props} />
      {composeStamp && <input type="hidden" name="compose_stamp" value={composeStamp} />}
    </>
  );
}
