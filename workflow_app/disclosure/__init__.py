"""Public disclosure (công khai, lấy ý kiến): the pages without sign-in, comments and
objections, and the reviewer's answers.
"""
