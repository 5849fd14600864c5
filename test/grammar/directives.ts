// SYNTAX TEST "source.ts" "racelint directives in TypeScript comments"

// racelint-disable-next-line lost-update, racelint/check-then-act -- the cache refresh is serialized
// ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.ts meta.directive.racelint keyword.control.directive.racelint
//                           ^ meta.directive.racelint - entity.name.tag.rule.racelint
//                            ^^^^^^^^^^^ entity.name.tag.rule.racelint
//                                       ^ punctuation.separator.comma.racelint
//                                         ^^^^^^^^^^^^^^^^^^^^^^^ entity.name.tag.rule.racelint
//                                                                 ^^ punctuation.separator.reason.racelint
//                                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.reason.racelint - entity.name.tag.rule.racelint
counter = counter + 1; // racelint-disable-line floating-promise shared-memory
//                        ^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.racelint
//                                              ^^^^^^^^^^^^^^^^ entity.name.tag.rule.racelint
//                                                               ^^^^^^^^^^^^^ entity.name.tag.rule.racelint
/* racelint-disable shared-memory -- workers only read this buffer */
// ^^^^^^^^^^^^^^^^ comment.block.ts meta.directive.racelint keyword.control.directive.racelint
//                  ^^^^^^^^^^^^^ entity.name.tag.rule.racelint
//                                ^^ punctuation.separator.reason.racelint
//                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.reason.racelint
//                                                                 ^^ punctuation.definition.comment.ts - comment.reason.racelint
/*racelint-disable*/
//^^^^^^^^^^^^^^^^ keyword.control.directive.racelint
//                ^^ punctuation.definition.comment.ts - meta.directive.racelint
/* racelint-disable lost-update,
// ^^^^^^^^^^^^^^^^ keyword.control.directive.racelint
//                  ^^^^^^^^^^^ entity.name.tag.rule.racelint
   check-then-act -- both serialized by the queue
// ^^^^^^^^^^^^^^ meta.directive.racelint entity.name.tag.rule.racelint
//                ^^ punctuation.separator.reason.racelint
//                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.reason.racelint
*/
// <-- punctuation.definition.comment.ts - meta.directive.racelint

// A directive must start the comment, as the linter reads it: these are plain comments.
// see racelint-disable-next-line for details
//     ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.ts - keyword.control.directive.racelint
/// racelint-disable lost-update
//  ^^^^^^^^^^^^^^^^ - keyword.control.directive.racelint
/** racelint-disable lost-update */
//  ^^^^^^^^^^^^^^^^ comment.block.documentation.ts - keyword.control.directive.racelint
// racelint-disabled lost-update
// ^^^^^^^^^^^^^^^^^ - keyword.control.directive.racelint
// racelint-disable-next-lines lost-update
// ^^^^^^^^^^^^^^^^^^^^^^^^^^^ - keyword.control.directive.racelint

// Only comments: a string that looks like a directive is a string.
const text = "// racelint-disable lost-update";
//               ^^^^^^^^^^^^^^^^ string.quoted.double.ts - keyword.control.directive.racelint
