// What a create says when the API answers that the resource already exists (an instance's 7022, a
// namespace's 7064): the likely cause in CI is an interrupted `pulumi up` of this very stack, whose
// create happened but was never recorded, so the README's "Interrupted runs" recovery comes first;
// otherwise the resource is someone else's, and adopting it or choosing another name is the way on.
// One wording for every kind, so that the messages and the README stay in step.

/**
 * The ways on after "already exists". `what`: "instance" or "namespace"; `deleteHow`: where and how
 * to delete it (a dashboard place and/or the `DELETE` path); `idField`: the input to change instead.
 */
export function alreadyExistsAdvice(what: string, deleteHow: string, idField: string): string {
  return (
    "If an interrupted `pulumi up` of this stack created it (`pulumi up` warns of a pending create of this " +
    `resource), delete that ${what} (${deleteHow}), wait until it is gone, run ` +
    '`pulumi refresh --yes --clear-pending-creates` and `pulumi up` again (README, "Interrupted runs"). ' +
    "Otherwise, to manage it with this resource, set `adopt: true` (it is then kept on destroy unless " +
    `\`adopt: { deleteOnDestroy: true }\`), or choose another ${idField}.`
  );
}
