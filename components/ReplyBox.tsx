import { Island } from "./Island.tsx";
import { ReplyComposer, type ReplyComposerProps } from "../islands/ReplyComposer.tsx";

/** The reply textarea: a plain form field, upgraded by the ReplyComposer island when JS runs. */
export function ReplyBox(props: ReplyComposerProps) {
  return <Island name="ReplyComposer" component={ReplyComposer} props={props} />;
}
