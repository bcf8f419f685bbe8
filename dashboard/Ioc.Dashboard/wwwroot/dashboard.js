// Ioc dashboard
