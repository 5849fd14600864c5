// EmurgoHK/cardanoupdate PR #258 "use $inc to increment the tag mention counter" (reduction, fixed)
import { Meteor } from 'meteor/meteor'
import { Tags } from './tags'

export const mentionTag = (tagId) => {
  Tags.update({ _id: tagId }, { $inc: { mentions: 1 } })
}

export const addTagsToContent = async (content, tagNames) => {
  const ids = []
  for (const name of tagNames) {
    const existing = await Tags.findOneAsync({ name })
    if (existing) {
      await Tags.updateAsync({ _id: existing._id }, { $inc: { mentions: 1 } })
      ids.push(existing._id)
    } else {
      const { insertedId } = await Tags.rawCollection().findOneAndUpdate(
        { name },
        { $setOnInsert: { name, createdAt: new Date() }, $inc: { mentions: 1 } },
        { upsert: true, returnDocument: 'after' }
      ).then((r) => ({ insertedId: r.value._id }))
      ids.push(insertedId)
    }
  }
  content.tags = ids
  return content
}

Meteor.methods({
  async addContentTags(contentId, tagNames) {
    const content = { _id: contentId }
    return addTagsToContent(content, tagNames)
  }
})
