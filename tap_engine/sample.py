"""Mage's `--load_sample_data`: the first page of each selected stream, as the column-oriented
table Mage's own sources print."""
import json

PARENTS_TRIED = 5  # a child's sample comes from the first of these parents that has children


def _first_page(parent_node, node, parents):
    if parent_node is None:
        return next(iter(node.stream.pages(None)), [])
    for parent in parents[:PARENTS_TRIED]:
        context = parent_node.stream.child_context(parent)
        page = next(iter(node.stream.pages(context)), [])
        if page:
            for record in page:
                record.update(context)
            return page
    return []


def column_table(records):
    columns = {}
    for index, record in enumerate(records):
        for name, value in record.items():
            columns.setdefault(name, {})[str(index)] = value
    return columns


def write_samples(roots, output):
    def visit(parent_node, node, parents):
        page = _first_page(parent_node, node, parents)
        if node.stream.selected:
            shaped = [node.shape(r) for r in page]
            output.raw({"type": "SAMPLE_DATA", "stream_id": node.name,
                        "sample_data": json.dumps(column_table(shaped), default=str)})
        for child in node.children:
            visit(node, child, page)

    for root in roots:
        visit(None, root, [])
