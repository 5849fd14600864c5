// SYNTAX TEST "source.js.jsx" "racelint directives in JSX comments"

// racelint-disable-next-line check-then-act, shared-memory
// ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.js.jsx keyword.control.directive.racelint
//                            ^^^^^^^^^^^^^^ entity.name.tag.rule.racelint
//                                          ^ punctuation.separator.comma.racelint
//                                            ^^^^^^^^^^^^^ entity.name.tag.rule.racelint
export const View = () => (
  <ul>
    {/* racelint-disable-line floating-promise */}
//      ^^^^^^^^^^^^^^^^^^^^^ comment.block.js.jsx keyword.control.directive.racelint
//                            ^^^^^^^^^^^^^^^^ entity.name.tag.rule.racelint
  </ul>
);
