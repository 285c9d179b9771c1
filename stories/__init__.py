"""Testimonials and feedback: participants' stories with their consent, and program surveys."""
