// minbrowser/min PR #1522 "Fix data corruption when modifying multiple settings simultaneously" (reduction, fixed)
const fs = require('fs')
const path = require('path')
const { app, ipcMain } = require('electron')

const settings = {
  filePath: path.join(app.getPath('userData'), 'settings.json'),
  list: {},
  /** @type {Promise<void> | null} */
  fileWritePromise: null,
  writeFile: function () {
    /*
    Writes are queued: a new write waits for the one before it,
    so two calls can never have fs.writeFile in flight at once.
    */
    const data = JSON.stringify(settings.list)
    const writeFileInner = function () {
      return new Promise(function (resolve) {
        fs.writeFile(settings.filePath, data, { encoding: 'utf-8' }, function (err) {
          if (err) console.warn(err)
          resolve(undefined)
        })
      })
    }
    if (settings.fileWritePromise) {
      settings.fileWritePromise = settings.fileWritePromise.then(writeFileInner)
    } else {
      settings.fileWritePromise = writeFileInner()
    }
    return settings.fileWritePromise
  },
  set: function (key, value) {
    settings.list[key] = value
    return settings.writeFile()
  },
  initialize: function () {
    try {
      settings.list = JSON.parse(fs.readFileSync(settings.filePath, 'utf-8'))
    } catch (e) {
      settings.list = {}
    }
    ipcMain.on('settingChanged', function (e, key, value) {
      settings.set(key, value)
    })
  }
}

module.exports = settings
