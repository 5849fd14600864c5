// bosonprotocol/reference-backend PR #92 "Mongoose occ" (reduction, fixed): the voucher supply
// schema gets mongoose-update-if-current's plugin, so save() writes only if the document's version
// is still the one loaded and bumps it; a concurrent decrement fails with a VersionError instead
// of being overwritten.
const mongoose = require('mongoose')
const { updateIfCurrentPlugin } = require('mongoose-update-if-current')

const { Schema } = mongoose

const voucherSupplySchema = new Schema({
  title: { type: String, trim: true },
  qty: {
    type: Number,
    required: true,
    validate(value) {
      if (value < 0) throw new Error('Qty must be a positive number')
    },
  },
  voucherOwner: { type: String },
  _tokenIdSupply: { type: String },
})

voucherSupplySchema.plugin(updateIfCurrentPlugin)

const VoucherSupply = mongoose.model('VoucherSupply', voucherSupplySchema)

class VoucherSuppliesRepository {
  async getVoucherSupplyBySupplyTokenId(supplyTokenId) {
    return VoucherSupply.findOne({ _tokenIdSupply: supplyTokenId })
  }

  async decrementVoucherSupplyQty(supplyId) {
    const voucherSupply = await this.getVoucherSupplyBySupplyTokenId(supplyId)
    if (!voucherSupply) {
      throw new Error('Voucher supply not found')
    }

    voucherSupply.qty = --voucherSupply.qty

    return await voucherSupply.save()
  }
}

module.exports = VoucherSuppliesRepository
