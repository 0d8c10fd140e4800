// The article body's StreamBlock in the editor: Wagtail's own, except that the
// block picker never offers the placeholder that holds blocks of a switched-off
// plugin. Stored placeholders still open (they stay in childBlockDefsByName).
(() => {
  const { StreamBlockDefinition } = window.wagtailStreamField.blocks;
  const PLACEHOLDER = 'unavailable_block';

  class ArticleBodyStreamBlockDefinition extends StreamBlockDefinition {
    constructor(name, groupedChildBlockDefs, initialChildStates, meta) {
      super(name, groupedChildBlockDefs, initialChildStates, meta);
      this.groupedChildBlockDefs = groupedChildBlockDefs
        .map(([group, defs]) => [group, defs.filter((def) => def.name !== PLACEHOLDER)])
        .filter(([, defs]) => defs.length > 0);
    }
  }

  window.telepath.register('byline.blocks.ArticleBodyStreamBlock', ArticleBodyStreamBlockDefinition);
})();
