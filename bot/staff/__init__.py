"""The hotline staff console's logic, without the web: policy search, accounts and
consultation look-up. The routes in ``bot.web.routes`` call these."""
