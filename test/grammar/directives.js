// SYNTAX TEST "source.js" "racelint directives in JavaScript comments"

let total = 0; // racelint-disable-line lost-update -- single caller at startup
//                ^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.js keyword.control.directive.racelint
//                                      ^^^^^^^^^^^ entity.name.tag.rule.racelint
//                                                  ^^ punctuation.separator.reason.racelint
//                                                     ^^^^^^^^^^^^^^^^^^^^^^^^ comment.reason.racelint
/* racelint-disable */
// ^^^^^^^^^^^^^^^^ comment.block.js keyword.control.directive.racelint
// racelint-disable-next-line
// ^^^^^^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.racelint
/** racelint-disable-next-line lost-update */
//  ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.documentation.js - keyword.control.directive.racelint
