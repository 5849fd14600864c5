// sabymike/mongoose-relationship before PR #18 (buggy twin, written from the PR and the code it
// replaced): saving a child loads each parent, adds the child's id to the parent's array and saves
// the parent document. Children of one parent saved together each load the parent before the
// others' saves land, and each save writes back its own array: only the last child stays linked.
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
    parentModel.find({ _id: { $in: [].concat(self.get(relationshipPathName)) } }, function (err, parents) {
      if (err) return done(err);
      let pending = parents.length;
      if (!pending) return done();
      parents.forEach(function (parent) {
        parent[childPath].addToSet(self._id);
        parent.save(function (saveErr) {
//      ^ lost-update
          if (saveErr) return done(saveErr);
          if (--pending === 0) done();
        });
      });
    });
  });
};
