// sabymike/mongoose-relationship PR #18 "Fixed async issues where not all documents would be
// updated due to concurrency problems" (reduction, fixed): the parents are changed by one update
// on the server with $addToSet, so no parent document is read and written back.
'use strict';

module.exports = function relationship(schema, options) {
  const relationshipPathName = options.relationshipPathName;
  const childPath = options.childPath;
  const ref = options.ref;

  schema.pre('save', true, /** @this {any} */ function (next, done) {
    const self = this;
    next();
    if (!self.isModified(relationshipPathName)) return done();
    const parentModel = self.db.model(ref);
    const updateRule = {};
    updateRule[childPath] = self._id;
    parentModel.update(
      { _id: { $in: [].concat(self.get(relationshipPathName)) } },
      { $addToSet: updateRule },
      { multi: true },
      function (err) {
        done(err);
      },
    );
  });
};
