// SYNTAX TEST "source.tsx" "racelint directives in TSX comments"

// racelint-disable-next-line floating-promise -- fire and forget by design
// ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.tsx keyword.control.directive.racelint
//                            ^^^^^^^^^^^^^^^^ entity.name.tag.rule.racelint
//                                             ^^ punctuation.separator.reason.racelint
//                                                ^^^^^^^^^^^^^^^^^^^^^^^^ comment.reason.racelint
export const View = () => (
  <div>
    {/* racelint-disable-next-line misused-promise */}
//      ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.tsx keyword.control.directive.racelint
//                                 ^^^^^^^^^^^^^^ entity.name.tag.rule.racelint
    <button onClick={save}>save</button>
  </div>
);
