"""Paper bulletin (広報紙) migration: PDF or Word issue → records → Markdown drafts for staff."""
