from django import template

from content.rendering import render_body

register = template.Library()

register.filter("render_body", render_body)
