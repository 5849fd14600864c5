// Ojself/cyberwarfare4k PR #18 (buggy twin; cut down, see the README): every 30 s a cron job loads
// each data center's owner, adds the revenue through the user schema's bitCoinGain() method and
// saves the document with the bitcoins it computed from what it loaded. Any other save of the user
// between the job's load and its save (the project's routes, or the job's next tick when a payout
// outlasts the interval) is overwritten.
const mongoose = require('mongoose')

const { Schema } = mongoose

const userSchema = new Schema({
  name: String,
  playerStats: {
    bitCoins: { type: Number, default: 0 },
    ledger: { type: Number, default: 0 },
  },
})

userSchema.methods.bitCoinDrain = function (bitCoins) {
  this.playerStats.bitCoins -= parseInt(bitCoins, 10)
  if (this.playerStats.bitCoins < 0) {
    this.playerStats.bitCoins = 0
  }
}

userSchema.methods.bitCoinGain = function (bitCoins) {
  this.playerStats.bitCoins += parseInt(bitCoins, 10)
}

userSchema.methods.ledgerGain = function (bitCoins) {
  this.playerStats.ledger += parseInt(bitCoins, 10)
}

const User = mongoose.model('User', userSchema)
const DataCenter = mongoose.model('DataCenter', new Schema({ owner: Schema.Types.ObjectId, minutlyrevenue: Number }))

const dataCenterPayoutInterval = async () => {
  const dataCenters = await DataCenter.find({ owner: { $exists: true, $ne: null } })

  if (dataCenters) {
    for (const dataCenter of dataCenters) {
      if (dataCenter.owner) {
        const owner = await User.findById(dataCenter.owner)
        if (owner) {
          owner.bitCoinGain(dataCenter.minutlyrevenue)
          await owner.save()
//              ^ lost-update
        }
      }
    }
  }
}

setInterval(() => {
  dataCenterPayoutInterval()
}, 30 * 1000)

module.exports = { dataCenterPayoutInterval, User }
