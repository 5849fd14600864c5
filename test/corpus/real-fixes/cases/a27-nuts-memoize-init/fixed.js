// GitbookIO/nuts PR #49 "Feature/autoinit": this.init = _.memoize(this._init) (reduction, fixed)
var _ = require('lodash');
var Q = require('q');
var express = require('express');
var GitHub = require('./backends/github');

function Nuts(opts) {
    if (!(this instanceof Nuts)) return new Nuts(opts);
    var that = this;

    this.opts = _.defaults(opts || {}, { timeout: 60 * 60 * 1000 });
    this.backend = new GitHub(this, this.opts);
    this.versions = null;

    // Calling init() twice returns the first promise: the backend loads once.
    this.init = _.memoize(this._init);

    this.router = express.Router();
    this.router.get('/download/:tag/:filename', function (req, res, next) {
        that.init()
            .then(function () {
                return that.versions.resolve({ tag: req.params.tag, filename: req.params.filename });
            })
            .then(function (version) { res.redirect(version.url); })
            .fail(next);
    });
}

Nuts.prototype._init = function () {
    var that = this;
    return Q()
        .then(function () { return that.backend.init(); })
        .then(function () { return that.backend.releases(); })
        .then(function (releases) {
            that.versions = require('./versions')(releases);
        });
};

module.exports = Nuts;
